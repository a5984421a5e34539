package org.mlflow.agent.it.bedrock;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.matching.UrlPathPattern;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A WireMock Bedrock Runtime on 127.0.0.1: Converse, InvokeModel, ConverseStream and
 * InvokeModelWithResponseStream answer for
 * {@link BedrockApp#MODEL}; other model ids are refused (400), throttled (429), throttled once and
 * then answered, or break their stream with an exception event. Every answer carries the request
 * id Bedrock sends in {@code x-amzn-RequestId}.
 */
public final class BedrockFake implements AutoCloseable {

  public static final String ANSWER = "MLflow is an open source platform for the ML lifecycle.";
  public static final String CONVERSE_REQUEST_ID = "req-converse-0001";
  public static final String CONVERSE_JSON = "{\"output\":{\"message\":{\"role\":\"assistant\","
      + "\"content\":[{\"text\":\"" + ANSWER + "\"}]}},\"stopReason\":\"end_turn\","
      + "\"usage\":{\"inputTokens\":12,\"outputTokens\":9,\"totalTokens\":121,"
      + "\"cacheReadInputTokens\":100,\"cacheWriteInputTokens\":0},"
      + "\"metrics\":{\"latencyMs\":321}}";

  public static final String INVOKE_REQUEST_ID = "req-invoke-0001";
  public static final String INVOKE_ANSWER = "Hello from Claude on Bedrock.";
  public static final String INVOKE_JSON = "{\"id\":\"msg_bdrk_01\",\"type\":\"message\","
      + "\"role\":\"assistant\",\"model\":\"claude-3-haiku-20240307\",\"content\":[{\"type\":"
      + "\"text\",\"text\":\"" + INVOKE_ANSWER + "\"}],\"stop_reason\":\"end_turn\","
      + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":14,\"output_tokens\":7}}";

  public static final String STREAM_REQUEST_ID = "req-stream-0001";
  public static final String[] STREAM_TEXT = {"Tracing ", "records ", "each call."};
  public static final String STREAM_METADATA = "{\"usage\":{\"inputTokens\":15,"
      + "\"outputTokens\":6,\"totalTokens\":21},\"metrics\":{\"latencyMs\":180}}";

  /** What Claude streams through InvokeModelWithResponseStream, one JSON chunk per payload part. */
  public static final String[] MODEL_CHUNKS = {
      "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_bdrk_02\",\"type\":\"message\","
          + "\"role\":\"assistant\",\"content\":[],\"usage\":{\"input_tokens\":14,"
          + "\"output_tokens\":1}}}",
      "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\","
          + "\"text\":\"Hello from \"}}",
      "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\","
          + "\"text\":\"a stream.\"}}",
      "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},"
          + "\"usage\":{\"output_tokens\":7}}",
      "{\"type\":\"message_stop\",\"amazon-bedrock-invocationMetrics\":{\"inputTokenCount\":14,"
          + "\"outputTokenCount\":7,\"invocationLatency\":250,\"firstByteLatency\":120}}"};

  public static final String REFUSAL = "The provided model identifier is invalid.";
  public static final String REFUSED_REQUEST_ID = "req-refused-0001";
  public static final String THROTTLING = "Too many requests, please wait before trying again.";
  public static final String THROTTLED_REQUEST_ID = "req-throttled-0001";
  public static final String STREAM_FAILURE = "The model stopped unexpectedly.";

  private final WireMockServer server;

  public BedrockFake() {
    server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    server.start();
    for (String operation : new String[] {"converse", "invoke", "converse-stream"}) {
      server.stubFor(post(path(BedrockApp.REFUSED_MODEL, operation))
          .willReturn(error(400, "ValidationException", REFUSAL, REFUSED_REQUEST_ID)));
      server.stubFor(post(path(BedrockApp.THROTTLED_MODEL, operation))
          .willReturn(error(429, "ThrottlingException", THROTTLING, THROTTLED_REQUEST_ID)));
    }
    server.stubFor(post(path(BedrockApp.MODEL, "converse"))
        .willReturn(json(CONVERSE_JSON, CONVERSE_REQUEST_ID)));
    server.stubFor(post(path(BedrockApp.MODEL, "invoke"))
        .willReturn(json(INVOKE_JSON, INVOKE_REQUEST_ID)));
    server.stubFor(post(path(BedrockApp.MODEL, "converse-stream"))
        .willReturn(eventStream(answerStream().bytes())));
    EventStreamEncoder modelStream = new EventStreamEncoder();
    for (String chunk : MODEL_CHUNKS) {
      modelStream.event("chunk", "{\"bytes\":\"" + Base64.getEncoder().encodeToString(
          chunk.getBytes(StandardCharsets.UTF_8)) + "\"}");
    }
    server.stubFor(post(path(BedrockApp.MODEL, "invoke-with-response-stream"))
        .willReturn(eventStream(modelStream.bytes())));
    server.stubFor(post(path(BedrockApp.BROKEN_STREAM_MODEL, "converse-stream"))
        .willReturn(eventStream(new EventStreamEncoder()
            .event("messageStart", "{\"role\":\"assistant\"}")
            .event("contentBlockDelta", delta(STREAM_TEXT[0]))
            .exception("modelStreamErrorException", "{\"message\":\"" + STREAM_FAILURE + "\","
                + "\"originalStatusCode\":500}")
            .bytes())));
    // Throttled once, then answered: the SDK retries, the app sees one answer.
    UrlPathPattern retried = path(BedrockApp.THROTTLED_ONCE_MODEL, "converse-stream");
    server.stubFor(post(retried).inScenario("throttled once")
        .whenScenarioStateIs(Scenario.STARTED)
        .willReturn(error(429, "ThrottlingException", THROTTLING, THROTTLED_REQUEST_ID))
        .willSetStateTo("answered"));
    server.stubFor(post(retried).inScenario("throttled once")
        .whenScenarioStateIs("answered")
        .willReturn(eventStream(answerStream().bytes())));
  }

  /** The operation's path as the SDK sends it: the model id URL-encoded ({@code :} as %3A). */
  private static UrlPathPattern path(String model, String operation) {
    return urlPathEqualTo(
        "/model/" + URLEncoder.encode(model, StandardCharsets.UTF_8) + "/" + operation);
  }

  private static EventStreamEncoder answerStream() {
    EventStreamEncoder stream = new EventStreamEncoder()
        .event("messageStart", "{\"role\":\"assistant\"}");
    for (String text : STREAM_TEXT) {
      stream.event("contentBlockDelta", delta(text));
    }
    return stream.event("contentBlockStop", "{\"contentBlockIndex\":0}")
        .event("messageStop", "{\"stopReason\":\"end_turn\"}")
        .event("metadata", STREAM_METADATA);
  }

  static String delta(String text) {
    return "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"" + text + "\"}}";
  }

  private static ResponseDefinitionBuilder json(String body, String requestId) {
    return aResponse().withStatus(200)
        .withHeader("Content-Type", "application/json")
        .withHeader("x-amzn-RequestId", requestId)
        .withBody(body);
  }

  private static ResponseDefinitionBuilder eventStream(byte[] frames) {
    return aResponse().withStatus(200)
        .withHeader("Content-Type", "application/vnd.amazon.eventstream")
        .withHeader("x-amzn-RequestId", STREAM_REQUEST_ID)
        .withBody(frames);
  }

  private static ResponseDefinitionBuilder error(int status, String type, String message,
      String requestId) {
    return aResponse().withStatus(status)
        .withHeader("Content-Type", "application/json")
        .withHeader("x-amzn-ErrorType", type)
        .withHeader("x-amzn-RequestId", requestId)
        .withBody("{\"message\":\"" + message + "\"}");
  }

  public String endpoint() {
    return server.baseUrl();
  }

  public WireMockServer server() {
    return server;
  }

  /** Lets the throttled-once stream be throttled again, for the next run of the app. */
  public void reset() {
    server.resetRequests();
    server.resetScenarios();
  }

  @Override
  public void close() {
    server.stop();
  }
}
