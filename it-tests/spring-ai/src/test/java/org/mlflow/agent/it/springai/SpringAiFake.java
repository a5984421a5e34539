package org.mlflow.agent.it.springai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;

/**
 * A WireMock OpenAI on 127.0.0.1 for Spring AI's OpenAI models: a plain answer, a streamed one, a
 * tool call then the answer once the tool's result is sent, a refused model, a stream that fails,
 * and embeddings that put the question next to the tracing document.
 */
public final class SpringAiFake implements AutoCloseable {

  public static final String MODEL = "gpt-4o-mini";
  public static final String SERVED_MODEL = "gpt-4o-mini-2024-07-18";
  public static final String TOOL_MODEL = "gpt-4o-mini-tools";
  public static final String REJECTED_MODEL = "gpt-rejected";
  public static final String BROKEN_STREAM_MODEL = "gpt-broken-stream";
  public static final String EMBEDDING_MODEL = "text-embedding-3-small";

  public static final String ANSWER = "MLflow is an open source platform for the ML lifecycle.";
  public static final List<String> STREAMED_WORDS = List.of("MLflow ", "traces ", "Spring AI.");
  public static final String TOOL_ARGUMENTS = "{\"city\":\"Paris\"}";
  public static final String WEATHER_ANSWER = "It is sunny in Paris.";

  public static final String TRACING_DOCUMENT = "MLflow Tracing records every GenAI call.";
  public static final String SPRING_DOCUMENT = "Spring AI talks to many model providers.";
  public static final String QUESTION = "How do I trace GenAI calls?";
  public static final String DIMENSIONS_PROBE = "Hello World";

  public static final String COMPLETION_JSON = completion("chatcmpl-answer",
      "{\"role\":\"assistant\",\"content\":\"" + ANSWER + "\"}", "stop", usage(21, 12));
  public static final String TOOL_CALL_JSON = completion("chatcmpl-tool-call",
      "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_weather\","
          + "\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":"
          + quoted(TOOL_ARGUMENTS) + "}}]}", "tool_calls", usage(30, 10));
  public static final String WEATHER_JSON = completion("chatcmpl-weather",
      "{\"role\":\"assistant\",\"content\":\"" + WEATHER_ANSWER + "\"}", "stop", usage(45, 8));

  private final WireMockServer server;

  public SpringAiFake() {
    // Spring's JDK HTTP client would try HTTP/2 over plain HTTP, which WireMock would accept.
    server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort()
        .http2PlainDisabled(true));
    server.start();
    server.stubFor(chat(MODEL, true).willReturn(events(streamedAnswer())));
    server.stubFor(chat(TOOL_MODEL, false).willReturn(json(TOOL_CALL_JSON)));
    server.stubFor(chat(TOOL_MODEL, false)
        .withRequestBody(matchingJsonPath("$.messages[?(@.role == 'tool')]"))
        .atPriority(1)
        .willReturn(json(WEATHER_JSON)));
    server.stubFor(chat(MODEL, false).willReturn(json(COMPLETION_JSON)));
    server.stubFor(chat(REJECTED_MODEL, false).willReturn(aResponse().withStatus(401)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"error\":{\"message\":\"Incorrect API key provided\","
            + "\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}")));
    server.stubFor(chat(BROKEN_STREAM_MODEL, true).willReturn(aResponse().withStatus(500)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\"}}")));
    // Spring AI 1.1 embeds the documents it stores in one request, 2.0 one by one.
    embeddings(List.of(TRACING_DOCUMENT, SPRING_DOCUMENT),
        List.of(new float[] {1, 0, 0}, new float[] {0, 1, 0}));
    embeddings(List.of(TRACING_DOCUMENT), List.of(new float[] {1, 0, 0}));
    embeddings(List.of(SPRING_DOCUMENT), List.of(new float[] {0, 1, 0}));
    embeddings(List.of(QUESTION), List.of(new float[] {0.9f, 0.1f, 0}));
    // SimpleVectorStore asks for the dimensions by embedding this text once.
    embeddings(List.of(DIMENSIONS_PROBE), List.of(new float[] {0, 0, 1}));
  }

  private static MappingBuilder chat(String model, boolean streaming) {
    MappingBuilder request = post(urlEqualTo("/v1/chat/completions"))
        .withRequestBody(matchingJsonPath("$.model", equalTo(model)));
    return streaming
        ? request.withRequestBody(matchingJsonPath("$.stream", equalTo("true"))).atPriority(1)
        : request.atPriority(5);
  }

  /**
   * Embeddings of inputs containing {@code texts} (Spring AI puts a document's metadata before its
   * text), as floats or, when asked ({@code openai-java}), base64.
   */
  private void embeddings(List<String> texts, List<float[]> vectors) {
    server.stubFor(embeddingsOf(texts).atPriority(5)
        .willReturn(json(embeddingsJson(vectors, false))));
    server.stubFor(embeddingsOf(texts)
        .withRequestBody(matchingJsonPath("$.encoding_format", equalTo("base64")))
        .atPriority(1).willReturn(json(embeddingsJson(vectors, true))));
  }

  private static MappingBuilder embeddingsOf(List<String> texts) {
    MappingBuilder request = post(urlEqualTo("/v1/embeddings"));
    for (int i = 0; i < texts.size(); i++) {
      request = request.withRequestBody(
          matchingJsonPath("$.input[" + i + "]", containing(texts.get(i))));
    }
    return request.withRequestBody(
        matchingJsonPath("$[?(@.input.length() == " + texts.size() + ")]"));
  }

  private static String embeddingsJson(List<float[]> vectors, boolean base64) {
    StringBuilder data = new StringBuilder();
    for (int i = 0; i < vectors.size(); i++) {
      data.append(i == 0 ? "" : ",").append("{\"object\":\"embedding\",\"index\":").append(i)
          .append(",\"embedding\":").append(base64 ? base64(vectors.get(i)) : floats(vectors.get(i)))
          .append('}');
    }
    return "{\"object\":\"list\",\"data\":[" + data + "],\"model\":\"" + EMBEDDING_MODEL
        + "\",\"usage\":{\"prompt_tokens\":" + (8 * vectors.size()) + ",\"total_tokens\":"
        + (8 * vectors.size()) + "}}";
  }

  private static String floats(float[] vector) {
    StringBuilder json = new StringBuilder("[");
    for (int i = 0; i < vector.length; i++) {
      json.append(i == 0 ? "" : ",").append(vector[i]);
    }
    return json.append(']').toString();
  }

  private static String base64(float[] vector) {
    ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES)
        .order(ByteOrder.LITTLE_ENDIAN);
    for (float value : vector) {
      bytes.putFloat(value);
    }
    return "\"" + Base64.getEncoder().encodeToString(bytes.array()) + "\"";
  }

  static String completion(String id, String message, String finishReason, String usage) {
    return "{\"id\":\"" + id + "\",\"object\":\"chat.completion\",\"created\":1735000000,"
        + "\"model\":\"" + SERVED_MODEL + "\",\"choices\":[{\"index\":0,\"message\":" + message
        + ",\"logprobs\":null,\"finish_reason\":\"" + finishReason + "\"}],\"usage\":" + usage
        + "}";
  }

  static String usage(int prompt, int completion) {
    return "{\"prompt_tokens\":" + prompt + ",\"completion_tokens\":" + completion
        + ",\"total_tokens\":" + (prompt + completion) + "}";
  }

  private static String streamedAnswer() {
    StringBuilder events = new StringBuilder();
    events.append(chunk("{\"role\":\"assistant\",\"content\":\"\"}", "null"));
    for (String word : STREAMED_WORDS) {
      events.append(chunk("{\"content\":" + quoted(word) + "}", "null"));
    }
    events.append(chunk("{}", "\"stop\""));
    events.append("data: {\"id\":\"chatcmpl-stream\",\"object\":\"chat.completion.chunk\","
        + "\"created\":1735000000,\"model\":\"" + SERVED_MODEL + "\",\"choices\":[],\"usage\":"
        + usage(14, 6) + "}\n\n");
    return events.append("data: [DONE]\n\n").toString();
  }

  private static String chunk(String delta, String finishReason) {
    return "data: {\"id\":\"chatcmpl-stream\",\"object\":\"chat.completion.chunk\","
        + "\"created\":1735000000,\"model\":\"" + SERVED_MODEL + "\",\"choices\":[{\"index\":0,"
        + "\"delta\":" + delta + ",\"logprobs\":null,\"finish_reason\":" + finishReason
        + "}]}\n\n";
  }

  private static String quoted(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static ResponseDefinitionBuilder json(String body) {
    return aResponse().withStatus(200).withHeader("Content-Type", "application/json")
        .withBody(body);
  }

  private static ResponseDefinitionBuilder events(String body) {
    return aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream")
        .withBody(body);
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
