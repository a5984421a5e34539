package org.mlflow.agent.it.googlegenai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;

/**
 * A WireMock Gemini Developer API on 127.0.0.1: a model that answers (whole or streamed), one that
 * asks for a tool first, an embedding model, one model the API refuses (400) and one it throttles
 * (429).
 */
public final class GeminiFake implements AutoCloseable {

  public static final String ANSWER = "MLflow is an open source platform for the ML lifecycle.";
  public static final String SERVED_MODEL = "gemini-2.0-flash-001";
  public static final String TOOL_ANSWER = "It is sunny in Paris.";
  public static final String REFUSAL = "API key not valid. Please pass a valid API key.";
  public static final String THROTTLED = "Resource has been exhausted (e.g. check quota).";

  public static final String ANSWER_JSON = "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\""
      + ANSWER + "\"}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],"
      + "\"usageMetadata\":{\"promptTokenCount\":9,\"candidatesTokenCount\":12,"
      + "\"totalTokenCount\":21,\"cachedContentTokenCount\":4},"
      + "\"modelVersion\":\"" + SERVED_MODEL + "\",\"responseId\":\"resp-answer\"}";

  public static final String FUNCTION_CALL_JSON = "{\"candidates\":[{\"content\":{\"parts\":["
      + "{\"functionCall\":{\"name\":\"weather\",\"args\":{\"city\":\"Paris\"}}}],"
      + "\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],"
      + "\"usageMetadata\":{\"promptTokenCount\":30,\"candidatesTokenCount\":5,"
      + "\"totalTokenCount\":35},\"modelVersion\":\"" + SERVED_MODEL + "\","
      + "\"responseId\":\"resp-call\"}";

  public static final String TOOL_ANSWER_JSON = "{\"candidates\":[{\"content\":{\"parts\":["
      + "{\"text\":\"" + TOOL_ANSWER + "\"}],\"role\":\"model\"},\"finishReason\":\"STOP\","
      + "\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":45,\"candidatesTokenCount\":7,"
      + "\"totalTokenCount\":52},\"modelVersion\":\"" + SERVED_MODEL + "\","
      + "\"responseId\":\"resp-tool-answer\"}";

  /** The streamed answer, split in three events; only the last has the final usage. */
  public static final String[] STREAM_EVENTS = {
      "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"MLflow is \"}],\"role\":\"model\"},"
          + "\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":9,\"totalTokenCount\":9},"
          + "\"modelVersion\":\"" + SERVED_MODEL + "\",\"responseId\":\"resp-stream\"}",
      "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"an open source platform \"}],"
          + "\"role\":\"model\"},\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":9,"
          + "\"totalTokenCount\":9},\"modelVersion\":\"" + SERVED_MODEL + "\","
          + "\"responseId\":\"resp-stream\"}",
      "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"for the ML lifecycle.\"}],"
          + "\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],"
          + "\"usageMetadata\":{\"promptTokenCount\":9,\"candidatesTokenCount\":12,"
          + "\"totalTokenCount\":21},\"modelVersion\":\"" + SERVED_MODEL + "\","
          + "\"responseId\":\"resp-stream\"}"};

  public static final String EMBEDDINGS_JSON =
      "{\"embeddings\":[{\"values\":[0.1,0.2,0.3,0.4]},{\"values\":[0.5,0.6,0.7,0.8]}]}";

  private final WireMockServer server;

  public GeminiFake() {
    server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    server.start();
    answer(call(GeminiApps.MODEL, "generateContent"), 200, ANSWER_JSON);
    answer(call(GeminiApps.TOOL_MODEL, "generateContent")
        .withRequestBody(notContaining("functionResponse")), 200, FUNCTION_CALL_JSON);
    answer(call(GeminiApps.TOOL_MODEL, "generateContent")
        .withRequestBody(containing("functionResponse")), 200, TOOL_ANSWER_JSON);
    answer(call(GeminiApps.REJECTED_MODEL, "generateContent"), 400, error(400, REFUSAL,
        "INVALID_ARGUMENT"));
    answer(call(GeminiApps.THROTTLED_MODEL, "generateContent"), 429, error(429, THROTTLED,
        "RESOURCE_EXHAUSTED"));
    server.stubFor(call(GeminiApps.MODEL, "streamGenerateContent")
        .withQueryParam("alt", equalTo("sse"))
        .willReturn(aResponse().withStatus(200)
            .withHeader("Content-Type", "text/event-stream")
            .withBody(sse(STREAM_EVENTS))));
    answer(call(GeminiApps.REJECTED_MODEL, "streamGenerateContent"), 400, error(400, REFUSAL,
        "INVALID_ARGUMENT"));
    answer(call(GeminiApps.EMBEDDING_MODEL, "batchEmbedContents"), 200, EMBEDDINGS_JSON);
  }

  private static MappingBuilder call(String model, String method) {
    return post(urlPathEqualTo("/v1beta/models/" + model + ":" + method));
  }

  private void answer(MappingBuilder call, int status, String json) {
    server.stubFor(call.willReturn(aResponse().withStatus(status)
        .withHeader("Content-Type", "application/json")
        .withBody(json)));
  }

  private static String error(int code, String message, String status) {
    return "{\"error\":{\"code\":" + code + ",\"message\":\"" + message + "\",\"status\":\""
        + status + "\"}}";
  }

  private static String sse(String... events) {
    StringBuilder body = new StringBuilder();
    for (String event : events) {
      body.append("data: ").append(event).append("\r\n\r\n");
    }
    return body.toString();
  }

  public String baseUrl() {
    return server.baseUrl();
  }

  public WireMockServer server() {
    return server;
  }

  @Override
  public void close() {
    server.stop();
  }
}
