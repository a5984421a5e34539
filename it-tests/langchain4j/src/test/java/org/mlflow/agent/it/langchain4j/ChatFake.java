package org.mlflow.agent.it.langchain4j;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;

/**
 * A WireMock OpenAI chat completions endpoint on 127.0.0.1 for langchain4j-open-ai: the first
 * turn asks for the {@code daysOfLeaveLeft} tool, the turn with its result answers; a streamed
 * request gets the answer as server-sent events; model {@link #REJECTED_MODEL} is refused.
 */
final class ChatFake implements AutoCloseable {

  static final String MODEL = "gpt-4o-mini";
  /** A model that answers at once, never asking for a tool. */
  static final String PLAIN_MODEL = "gpt-4o-mini-plain";
  static final String REJECTED_MODEL = "no-such-model";
  static final String TOOL_ARGUMENTS = "{\"employee\":\"Ada\"}";
  static final String ANSWER = "Ada has 12 days of paid leave left; unused days carry over.";
  static final String REFUSAL = "The model does not exist";

  private static final String PATH = "/v1/chat/completions";

  private final WireMockServer server;

  ChatFake() {
    // The JDK HTTP client LangChain4j uses tries an HTTP/2 upgrade WireMock would answer badly.
    server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort()
        .http2PlainDisabled(true));
    server.start();
    server.stubFor(post(urlEqualTo(PATH))
        .withRequestBody(matchingJsonPath("$.model", equalTo(MODEL)))
        .willReturn(json(completion("chatcmpl-1",
            "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\","
                + "\"type\":\"function\",\"function\":{\"name\":\"daysOfLeaveLeft\","
                + "\"arguments\":" + quoted(TOOL_ARGUMENTS) + "}}]}",
            "tool_calls", 50, 10))));
    server.stubFor(post(urlEqualTo(PATH))
        .withRequestBody(matchingJsonPath("$.model", equalTo(MODEL)))
        .withRequestBody(matchingJsonPath("$.messages[?(@.role == 'tool')]"))
        .atPriority(1)
        .willReturn(json(completion("chatcmpl-2",
            "{\"role\":\"assistant\",\"content\":\"" + ANSWER + "\"}", "stop", 70, 20))));
    server.stubFor(post(urlEqualTo(PATH))
        .withRequestBody(matchingJsonPath("$.model", equalTo(PLAIN_MODEL)))
        .willReturn(json(completion("chatcmpl-4",
            "{\"role\":\"assistant\",\"content\":\"" + ANSWER + "\"}", "stop", 40, 15))));
    server.stubFor(post(urlEqualTo(PATH))
        .withRequestBody(matchingJsonPath("$.stream", equalTo("true")))
        .atPriority(1)
        .willReturn(aResponse().withHeader("Content-Type", "text/event-stream")
            .withBody(stream("Ada has ", "12 days ", "left."))));
    server.stubFor(post(urlEqualTo(PATH))
        .withRequestBody(matchingJsonPath("$.model", equalTo(REJECTED_MODEL)))
        .atPriority(1)
        .willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/json")
            .withBody("{\"error\":{\"message\":\"" + REFUSAL + "\",\"type\":"
                + "\"invalid_request_error\",\"param\":null,\"code\":\"model_not_found\"}}")));
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.port() + "/v1";
  }

  @Override
  public void close() {
    server.stop();
  }

  private static ResponseDefinitionBuilder json(String body) {
    return aResponse().withHeader("Content-Type", "application/json").withBody(body);
  }

  private static String completion(String id, String message, String finishReason, int prompt,
      int completion) {
    return "{\"id\":\"" + id + "\",\"object\":\"chat.completion\",\"created\":1700000000,"
        + "\"model\":\"" + MODEL + "-2024-07-18\",\"choices\":[{\"index\":0,\"message\":"
        + message + ",\"finish_reason\":\"" + finishReason + "\"}],\"usage\":{"
        + "\"prompt_tokens\":" + prompt + ",\"completion_tokens\":" + completion
        + ",\"total_tokens\":" + (prompt + completion) + "}}";
  }

  private static String stream(String... pieces) {
    StringBuilder events = new StringBuilder();
    for (String piece : pieces) {
      events.append(chunk("{\"index\":0,\"delta\":{\"content\":\"" + piece
          + "\"},\"finish_reason\":null}", "null"));
    }
    events.append(chunk("{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}", "null"));
    events.append(chunk(null,
        "{\"prompt_tokens\":30,\"completion_tokens\":6,\"total_tokens\":36}"));
    return events.append("data: [DONE]\n\n").toString();
  }

  private static String chunk(String choice, String usage) {
    return "data: {\"id\":\"chatcmpl-3\",\"object\":\"chat.completion.chunk\","
        + "\"created\":1700000000,\"model\":\"" + MODEL + "-2024-07-18\",\"choices\":["
        + (choice == null ? "" : choice) + "],\"usage\":" + usage + "}\n\n";
  }

  private static String quoted(String json) {
    return "\"" + json.replace("\"", "\\\"") + "\"";
  }
}
