package org.mlflow.agent.it.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;

/**
 * A WireMock OpenAI on 127.0.0.1: chat completions that answer (plain, streamed, with a tool call,
 * structured), one model that is refused and one whose stream fails half-way, the Responses API
 * (plain and streamed), embeddings, and an Azure OpenAI deployment reached through it as a proxy.
 */
public final class OpenAiFake implements AutoCloseable {

  public static final String ANSWER = "MLflow is an open source platform for the ML lifecycle.";
  public static final String SERVED_MODEL = FakeReplies.SERVED_MODEL;
  public static final int PROMPT_TOKENS = 21;
  public static final int COMPLETION_TOKENS = 12;
  public static final int TOTAL_TOKENS = 33;
  public static final String REFUSAL = "Incorrect API key provided";

  public static final String COMPLETION_JSON = FakeReplies.completion("chatcmpl-fake-1",
      "{\"role\":\"assistant\",\"content\":\"" + ANSWER + "\",\"refusal\":null}", "stop",
      "{\"prompt_tokens\":" + PROMPT_TOKENS + ",\"completion_tokens\":" + COMPLETION_TOKENS
          + ",\"total_tokens\":" + TOTAL_TOKENS + "}");

  /** The Azure OpenAI deployment path the SDK calls for {@link OpenAiChatApp#MODEL}. */
  public static final String AZURE_CHAT_PATH =
      "/openai/deployments/" + OpenAiChatApp.MODEL + "/chat/completions";

  private final WireMockServer server;

  public OpenAiFake() {
    server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    server.start();
    String chat = "/v1/chat/completions";
    stub(chat, OpenAiChatApp.MODEL, false, json(COMPLETION_JSON));
    stub(chat, OpenAiChatApp.MODEL, true,
        events(FakeReplies.stream(FakeReplies.ANSWER_CHUNKS)));
    server.stubFor(post(urlEqualTo(chat))
        .withRequestBody(matchingJsonPath("$.response_format.type", equalTo("json_schema")))
        .atPriority(1)
        .willReturn(json(FakeReplies.STRUCTURED_COMPLETION)));
    stub(chat, FakeReplies.TOOL_MODEL, false, json(FakeReplies.TOOL_CALL_COMPLETION));
    stub(chat, FakeReplies.TOOL_MODEL, true,
        events(FakeReplies.stream(FakeReplies.TOOL_CALL_CHUNKS)));
    stub(chat, FakeReplies.OVERLOADED_MODEL, true, events(FakeReplies.OVERLOADED_STREAM));
    stub(chat, OpenAiChatApp.REJECTED_MODEL, false, aResponse().withStatus(401)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"error\":{\"message\":\"" + REFUSAL + "\",\"type\":"
            + "\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}"));
    stub("/v1/responses", OpenAiChatApp.MODEL, false, json(FakeReplies.RESPONSE_JSON));
    stub("/v1/responses", OpenAiChatApp.MODEL, true, events(FakeReplies.RESPONSE_STREAM));
    stub("/v1/embeddings", FakeReplies.EMBEDDING_MODEL, false,
        json(FakeReplies.EMBEDDINGS_JSON));
    server.stubFor(post(urlPathEqualTo(AZURE_CHAT_PATH)).willReturn(json(COMPLETION_JSON)));
  }

  /**
   * {@code path} answers requests for {@code model}; a streaming one ({@code "stream": true})
   * wins over a plain one for the same model.
   */
  private void stub(String path, String model, boolean streaming,
      ResponseDefinitionBuilder reply) {
    MappingBuilder request = post(urlEqualTo(path))
        .withRequestBody(matchingJsonPath("$.model", equalTo(model)));
    if (streaming) {
      request = request.withRequestBody(matchingJsonPath("$.stream", equalTo("true")))
          .atPriority(1);
    }
    server.stubFor(request.willReturn(reply));
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
    return server.baseUrl() + "/v1";
  }

  public int port() {
    return server.port();
  }

  public WireMockServer server() {
    return server;
  }

  @Override
  public void close() {
    server.stop();
  }
}
