package org.mlflow.agent.it.anthropic;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A WireMock Anthropic Messages API on 127.0.0.1, routed by the request's model: answers whole
 * and streamed (Server-Sent Events in Anthropic's format), a refused key (401), an overloaded
 * service (529), a stream the connection drops mid-way and a stream that fails with an error event.
 */
public final class AnthropicFake implements AutoCloseable {

  public static final String MODEL = "claude-sonnet-4-5";
  public static final String SERVED_MODEL = "claude-sonnet-4-5-20250929";
  public static final String REJECTED_MODEL = "rejected-model";
  public static final String OVERLOADED_MODEL = "overloaded-model";
  public static final String CUT_STREAM_MODEL = "cut-stream-model";
  public static final String FAILING_STREAM_MODEL = "failing-stream-model";

  public static final String ANSWER = "Let me check the weather in Paris.";
  public static final String REFUSAL = "invalid x-api-key";
  public static final String OVERLOADED = "Overloaded";

  /** A whole answer: text, a tool call, and usage with prompt-cache counts. */
  public static final String MESSAGE_JSON = "{\"id\":\"msg_01fake\",\"type\":\"message\","
      + "\"role\":\"assistant\",\"model\":\"" + SERVED_MODEL + "\",\"content\":["
      + "{\"type\":\"text\",\"text\":\"" + ANSWER + "\"},"
      + "{\"type\":\"tool_use\",\"id\":\"toolu_01fake\",\"name\":\"get_weather\","
      + "\"input\":{\"city\":\"Paris\"}}],"
      + "\"stop_reason\":\"tool_use\",\"stop_sequence\":null,"
      + "\"usage\":{\"input_tokens\":25,\"output_tokens\":40,"
      + "\"cache_creation_input_tokens\":200,\"cache_read_input_tokens\":1000}}";

  /** The same answer streamed, event by event, as the API sends it (pings included). */
  public static final List<String[]> STREAM_EVENTS = List.of(
      event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_01fake\","
          + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"" + SERVED_MODEL + "\","
          + "\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{"
          + "\"input_tokens\":25,\"cache_creation_input_tokens\":200,"
          + "\"cache_read_input_tokens\":1000,\"output_tokens\":1}}}"),
      event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
          + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"),
      event("ping", "{\"type\": \"ping\"}"),
      event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
          + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Let me check \"}}"),
      event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
          + "\"delta\":{\"type\":\"text_delta\",\"text\":\"the weather in Paris.\"}}"),
      event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
      event("content_block_start", "{\"type\":\"content_block_start\",\"index\":1,"
          + "\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_01fake\","
          + "\"name\":\"get_weather\",\"input\":{}}}"),
      event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,"
          + "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\": \"}}"),
      event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,"
          + "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\\\"Paris\\\"}\"}}"),
      event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}"),
      event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":"
          + "\"tool_use\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":40}}"),
      event("message_stop", "{\"type\":\"message_stop\"}"));

  /** Events the application sees: all but the pings, which the SDK drops. */
  public static final int STREAM_ITEMS = STREAM_EVENTS.size() - 1;

  /** Where the cut and the failing streams stop: in the middle of the text. */
  public static final int EVENTS_BEFORE_FAILURE = 4;

  private final WireMockServer server;

  public AnthropicFake() {
    server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    server.start();
    stub(MODEL, false, json(200, MESSAGE_JSON));
    stub(MODEL, true, sse(sseBody(STREAM_EVENTS)));
    stub(REJECTED_MODEL, null, json(401, error("authentication_error", REFUSAL)));
    stub(OVERLOADED_MODEL, null, json(529, error("overloaded_error", OVERLOADED)));
    String beforeFailure = sseBody(STREAM_EVENTS.subList(0, EVENTS_BEFORE_FAILURE));
    // Promises more bytes than it sends: the server ends the response early and drops the
    // connection, as a network failure mid-stream does.
    stub(CUT_STREAM_MODEL, true, sse(beforeFailure)
        .withHeader("Content-Length",
            String.valueOf(10 * beforeFailure.getBytes(StandardCharsets.UTF_8).length)));
    stub(FAILING_STREAM_MODEL, true, sse(beforeFailure
        + "event: error\ndata: " + error("overloaded_error", OVERLOADED) + "\n\n"));
  }

  private static String[] event(String name, String data) {
    return new String[] {name, data};
  }

  static String sseBody(List<String[]> events) {
    StringBuilder body = new StringBuilder();
    for (String[] event : events) {
      body.append("event: ").append(event[0]).append("\ndata: ").append(event[1]).append("\n\n");
    }
    return body.toString();
  }

  private static String error(String type, String message) {
    return "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"" + message
        + "\"}}";
  }

  private static ResponseDefinitionBuilder json(int status, String body) {
    return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
        .withBody(body);
  }

  private static ResponseDefinitionBuilder sse(String body) {
    return aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream")
        .withHeader("Cache-Control", "no-cache").withBody(body);
  }

  /** @param streamed whether the request asks for a stream; null for either */
  private void stub(String model, Boolean streamed, ResponseDefinitionBuilder response) {
    var request = post(urlEqualTo("/v1/messages"))
        .withRequestBody(matchingJsonPath("$.model", equalTo(model)));
    if (streamed != null) {
      request = request.withRequestBody(streamed
          ? matchingJsonPath("$.stream", equalTo("true"))
          : WireMock.notContaining("\"stream\""));
    }
    server.stubFor(request.willReturn(response));
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
