package org.mlflow.agent.it.bedrock;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mlflow.agent.it.support.TraceFiles.attribute;
import static org.mlflow.agent.it.support.TraceFiles.parseJson;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.it.support.ForkedApp;
import org.mlflow.agent.it.support.ForkedApp.Result;
import org.mlflow.agent.it.support.TraceFiles;

/**
 * The Bedrock Runtime app, unchanged, with the agent attached: one trace per call, in call
 * order, written to the local folder. The app runs once; each test reads the traces of one call.
 */
class BedrockCallsIT {

  private static final int SYNC_CONVERSE = 0;
  private static final int SYNC_CONVERSE_REFUSED = 1;
  private static final int SYNC_INVOKE = 2;
  private static final int ASYNC_CONVERSE = 3;
  private static final int ASYNC_CONVERSE_THROTTLED = 4;
  private static final int ASYNC_INVOKE = 5;
  private static final int STREAM = 6;
  private static final int STREAM_REFUSED = 7;
  private static final int STREAM_BROKEN = 8;
  private static final int STREAM_THROTTLED_ONCE = 9;
  private static final int STREAM_CANCELLED = 10;
  private static final int MODEL_STREAM = 11;

  private static final String USER_MESSAGES =
      "[{\"role\":\"user\",\"content\":[{\"text\":\"" + BedrockApp.QUESTION + "\"}]}]";

  private static BedrockFake bedrock;
  private static Result run;
  private static List<JsonNode> traces;
  private static int throttledAttempts;

  @BeforeAll
  static void runTheApp() throws Exception {
    bedrock = new BedrockFake();
    run = ForkedApp.of(BedrockApp.class).args(bedrock.endpoint()).run().assertCleanRun();
    throttledAttempts = bedrock.server().findAll(postRequestedFor(
        urlPathMatching("/model/" + BedrockApp.THROTTLED_MODEL + "/converse"))).size();
    traces = TraceFiles.read(run.workingDir().resolve("mlflow-traces"));
    assertEquals(12, traces.size(), "one trace per call: " + run.stdout() + run.stderr());
  }

  @AfterAll
  static void stopFake() {
    bedrock.close();
  }

  /**
   * Prompt-cache counts are newer in the SDK's model than the oldest SDK tested (2.25.63), which
   * drops them from the response it parses, and so from what the span records.
   */
  private static final boolean SDK_READS_CACHE_TOKENS = hasMethod(
      software.amazon.awssdk.services.bedrockruntime.model.TokenUsage.class,
      "cacheReadInputTokens");

  private static boolean hasMethod(Class<?> type, String name) {
    try {
      type.getMethod(name);
      return true;
    } catch (NoSuchMethodException absent) {
      return false;
    }
  }

  /** The Converse response as the SDK on the class path parses the fake's answer. */
  private static JsonNode converseOutputs() {
    JsonNode outputs = parseJson(BedrockFake.CONVERSE_JSON);
    if (!SDK_READS_CACHE_TOKENS) {
      ((ObjectNode) outputs.get("usage")).remove(
          List.of("cacheReadInputTokens", "cacheWriteInputTokens"));
    }
    return outputs;
  }

  /** As MLflow counts it: the cached tokens are input tokens too. */
  private static JsonNode converseUsage() {
    return SDK_READS_CACHE_TOKENS
        ? parseJson("{\"input_tokens\":112,\"output_tokens\":9,\"total_tokens\":121,"
            + "\"cache_read_input_tokens\":100,\"cache_creation_input_tokens\":0}")
        : parseJson("{\"input_tokens\":12,\"output_tokens\":9,\"total_tokens\":121}");
  }

  /** The class of the exception the app printed for a call, as {@code <label> error: <class>: }. */
  private static String exceptionTheAppGot(String label) {
    String prefix = label + " error: ";
    return run.stdout().lines().filter(line -> line.startsWith(prefix)).findFirst()
        .map(line -> line.substring(prefix.length(), line.indexOf(':', prefix.length())))
        .orElseThrow(() -> new AssertionError("no error printed for " + label));
  }

  private static JsonNode span(int call) {
    JsonNode spans = traces.get(call).at("/data/spans");
    assertEquals(1, spans.size());
    return spans.get(0);
  }

  private static List<String> eventNames(JsonNode span) {
    List<String> names = new ArrayList<>();
    span.get("events").forEach(event -> names.add(event.get("name").asText()));
    return names;
  }

  private static List<JsonNode> chunks(JsonNode span) {
    List<JsonNode> chunks = new ArrayList<>();
    span.get("events").forEach(event -> {
      if (event.get("name").asText().startsWith("mlflow.chunk.item.")) {
        chunks.add(parseJson(event.at("/attributes/mlflow.chunk.value").asText()));
      }
    });
    return chunks;
  }

  /** What MLflow's Python autolog records of a Converse request, for both call forms. */
  private static void assertConverseInputs(JsonNode span, String model) {
    assertEquals("CHAT_MODEL", attribute(span, "mlflow.spanType").asText());
    assertEquals("bedrock", attribute(span, "mlflow.message.format").asText());
    assertEquals("bedrock", attribute(span, "mlflow.llm.provider").asText());
    assertEquals(model, attribute(span, "mlflow.llm.model").asText());
    JsonNode inputs = attribute(span, "mlflow.spanInputs");
    assertEquals(model, inputs.get("modelId").asText());
    assertEquals(parseJson(USER_MESSAGES), inputs.get("messages"));
    assertEquals(parseJson("[{\"text\":\"" + BedrockApp.SYSTEM + "\"}]"), inputs.get("system"));
  }

  private static void assertError(JsonNode span, String exceptionType, String message) {
    assertEquals("STATUS_CODE_ERROR", span.at("/status/code").asText());
    JsonNode exception = span.get("events").get(span.get("events").size() - 1);
    assertEquals("exception", exception.get("name").asText());
    assertEquals(exceptionType, exception.at("/attributes/exception.type").asText());
    assertTrue(exception.at("/attributes/exception.message").asText().contains(message),
        exception.toString());
  }

  @Test
  void aSyncConverseIsAChatSpanWithTheRequestAndResponseAsMlflowRecordsThem() throws Exception {
    JsonNode trace = traces.get(SYNC_CONVERSE);
    JsonNode span = span(SYNC_CONVERSE);
    List<LoggedRequest> sent = bedrock.server().findAll(
        postRequestedFor(urlPathMatching("/model/anthropic.*/converse")));

    assertEquals("OK", trace.at("/info/state").asText());
    assertEquals("BedrockRuntime.converse", span.get("name").asText());
    assertEquals("BedrockRuntime.converse", trace.at("/info/tags/mlflow.traceName").asText());
    assertEquals(BedrockApp.QUESTION, trace.at("/info/request_preview").asText());
    assertConverseInputs(span, BedrockApp.MODEL);
    // The inputs are the request body the SDK sent, plus the model id it puts in the path.
    JsonNode inputs = attribute(span, "mlflow.spanInputs");
    JsonNode body = parseJson(sent.get(0).getBodyAsString());
    body.fieldNames().forEachRemaining(
        field -> assertEquals(body.get(field), inputs.get(field), field));
    assertEquals(body.size() + 1, inputs.size(), inputs.toString());
    assertEquals(converseOutputs(), attribute(span, "mlflow.spanOutputs"));
    // Bedrock counts cached tokens apart; as MLflow does, they count as input.
    JsonNode usage = converseUsage();
    assertEquals(usage, attribute(span, "mlflow.chat.tokenUsage"));
    // The trace's total carries the cache counts too, as MLflow's Python client sums them.
    assertEquals(usage,
        parseJson(trace.at("/info/trace_metadata/mlflow.trace.tokenUsage").asText()));
    assertEquals(BedrockFake.CONVERSE_REQUEST_ID, attribute(span, "aws.request_id").asText());
    assertEquals(parseJson("[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
        + "\"description\":\"The current weather in a city\",\"parameters\":{\"type\":\"object\","
        + "\"properties\":{\"city\":{\"type\":\"string\"}}}}}]"),
        attribute(span, "mlflow.chat.tools"));
  }

  @Test
  void anAsyncConverseEndsItsSpanWhenTheFutureCompletes() {
    JsonNode span = span(ASYNC_CONVERSE);

    assertEquals("BedrockRuntime.converse", span.get("name").asText());
    assertEquals("STATUS_CODE_OK", span.at("/status/code").asText());
    assertConverseInputs(span, BedrockApp.MODEL);
    assertEquals(converseOutputs(), attribute(span, "mlflow.spanOutputs"));
    assertEquals(converseUsage(), attribute(span, "mlflow.chat.tokenUsage"));
    assertEquals(BedrockFake.CONVERSE_REQUEST_ID, attribute(span, "aws.request_id").asText());
  }

  @Test
  void refusedAndThrottledCallsAreErrorSpansAndTheAppGetsTheSameExceptions() {
    JsonNode refused = span(SYNC_CONVERSE_REFUSED);
    assertEquals("ERROR", traces.get(SYNC_CONVERSE_REFUSED).at("/info/state").asText());
    assertConverseInputs(refused, BedrockApp.REFUSED_MODEL);
    assertError(refused, "software.amazon.awssdk.services.bedrockruntime.model.ValidationException",
        BedrockFake.REFUSAL);
    assertNull(attribute(refused, "mlflow.spanOutputs"));
    assertNull(attribute(refused, "mlflow.chat.tokenUsage"));
    assertEquals(BedrockFake.REFUSED_REQUEST_ID, attribute(refused, "aws.request_id").asText());

    JsonNode throttled = span(ASYNC_CONVERSE_THROTTLED);
    assertError(throttled,
        "software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException",
        BedrockFake.THROTTLING);
    assertEquals(2, throttledAttempts, "one span for the call and its retry");

    assertTrue(run.stdout().contains("converse error: software.amazon.awssdk.services"
        + ".bedrockruntime.model.ValidationException: " + BedrockFake.REFUSAL), run.stdout());
    assertTrue(run.stdout().contains("async converse error: software.amazon.awssdk.services"
        + ".bedrockruntime.model.ThrottlingException: " + BedrockFake.THROTTLING), run.stdout());
  }

  @Test
  void invokeModelRecordsTheModelsOwnBodiesSyncAndAsync() {
    for (int call : new int[] {SYNC_INVOKE, ASYNC_INVOKE}) {
      JsonNode span = span(call);
      assertEquals("BedrockRuntime.invoke_model", span.get("name").asText());
      assertEquals("LLM", attribute(span, "mlflow.spanType").asText());
      assertEquals(BedrockApp.MODEL, attribute(span, "mlflow.llm.model").asText());
      assertEquals("bedrock", attribute(span, "mlflow.llm.provider").asText());
      assertNull(attribute(span, "mlflow.message.format"), "each model family has its own body");
      assertEquals(parseJson(BedrockApp.INVOKE_BODY), attribute(span, "mlflow.spanInputs"));
      assertEquals(parseJson(BedrockFake.INVOKE_JSON), attribute(span, "mlflow.spanOutputs"));
      assertEquals(parseJson("{\"input_tokens\":14,\"output_tokens\":7,\"total_tokens\":21}"),
          attribute(span, "mlflow.chat.tokenUsage"));
      assertEquals(BedrockFake.INVOKE_REQUEST_ID, attribute(span, "aws.request_id").asText());
    }
  }

  @Test
  void aConverseStreamRecordsEachEventAndTheResponseTheyAddUpTo() {
    JsonNode trace = traces.get(STREAM);
    JsonNode span = span(STREAM);

    assertEquals("OK", trace.at("/info/state").asText());
    assertEquals("BedrockRuntime.converse_stream", span.get("name").asText());
    assertConverseInputs(span, BedrockApp.MODEL);
    List<JsonNode> chunks = chunks(span);
    assertEquals(List.of(
        parseJson("{\"messageStart\":{\"role\":\"assistant\"}}"),
        parseJson("{\"contentBlockDelta\":" + BedrockFake.delta(BedrockFake.STREAM_TEXT[0]) + "}"),
        parseJson("{\"contentBlockDelta\":" + BedrockFake.delta(BedrockFake.STREAM_TEXT[1]) + "}"),
        parseJson("{\"contentBlockDelta\":" + BedrockFake.delta(BedrockFake.STREAM_TEXT[2]) + "}"),
        parseJson("{\"contentBlockStop\":{\"contentBlockIndex\":0}}"),
        parseJson("{\"messageStop\":{\"stopReason\":\"end_turn\"}}"),
        parseJson("{\"metadata\":" + BedrockFake.STREAM_METADATA + "}")), chunks);
    assertEquals(parseJson("{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":"
        + "[{\"text\":\"Tracing records each call.\"}]}},\"stopReason\":\"end_turn\","
        + "\"usage\":{\"inputTokens\":15,\"outputTokens\":6,\"totalTokens\":21},"
        + "\"metrics\":{\"latencyMs\":180}}"), attribute(span, "mlflow.spanOutputs"));
    assertEquals(parseJson("{\"input_tokens\":15,\"output_tokens\":6,\"total_tokens\":21}"),
        attribute(span, "mlflow.chat.tokenUsage"));
    assertEquals(BedrockFake.STREAM_REQUEST_ID, attribute(span, "aws.request_id").asText());
    assertTrue(run.stdout().contains("Tracing records each call. [response req-stream-0001]"
        + "[start assistant][stop end_turn][tokens 21][complete]"), run.stdout());
  }

  @Test
  void aStreamTheServiceRefusesOrBreaksIsAnErrorSpanWithWhatCameBefore() {
    JsonNode refused = span(STREAM_REFUSED);
    assertError(refused, "software.amazon.awssdk.services.bedrockruntime.model.ValidationException",
        BedrockFake.REFUSAL);
    assertEquals(List.of("exception"), eventNames(refused));
    assertNull(attribute(refused, "mlflow.spanOutputs"));

    JsonNode broken = span(STREAM_BROKEN);
    // ModelStreamErrorException; SDK 2.25.63 reports it as a BedrockRuntimeException.
    assertError(broken, exceptionTheAppGot("converseStream " + BedrockApp.BROKEN_STREAM_MODEL),
        BedrockFake.STREAM_FAILURE);
    assertEquals(List.of("mlflow.chunk.item.0", "mlflow.chunk.item.1", "exception"),
        eventNames(broken));
    assertEquals(parseJson("{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":"
        + "[{\"text\":\"Tracing \"}]}}}"), attribute(broken, "mlflow.spanOutputs"));
  }

  @Test
  void aStreamThrottledOnceAndRetriedIsOneSpanThatEndsWithTheAnswer() {
    JsonNode span = span(STREAM_THROTTLED_ONCE);

    assertEquals("STATUS_CODE_OK", span.at("/status/code").asText());
    assertEquals(7, chunks(span).size());
    assertEquals("Tracing records each call.",
        attribute(span, "mlflow.spanOutputs").at("/output/message/content/0/text").asText());
    // The app's handler was told of the throttled attempt; the span was not ended by it.
    assertTrue(run.stdout().contains("converseStream throttled-once-model: Tracing records each"
        + " call. [error ThrottlingException]"), run.stdout());
  }

  @Test
  void aStreamTheAppCancelsEndsWithTheEventsItRead() {
    JsonNode span = span(STREAM_CANCELLED);

    assertEquals("STATUS_CODE_OK", span.at("/status/code").asText());
    assertEquals(List.of(
        parseJson("{\"messageStart\":{\"role\":\"assistant\"}}"),
        parseJson("{\"contentBlockDelta\":" + BedrockFake.delta(BedrockFake.STREAM_TEXT[0]) + "}")),
        chunks(span));
    assertEquals("Tracing ",
        attribute(span, "mlflow.spanOutputs").at("/output/message/content/0/text").asText());
    assertNull(attribute(span, "mlflow.chat.tokenUsage"), "the metadata event was never read");
  }

  @Test
  void anInvokeModelStreamRecordsEachChunkTheModelStreamed() {
    JsonNode span = span(MODEL_STREAM);

    assertEquals("BedrockRuntime.invoke_model_with_response_stream", span.get("name").asText());
    assertEquals("STATUS_CODE_OK", span.at("/status/code").asText());
    assertEquals("LLM", attribute(span, "mlflow.spanType").asText());
    assertEquals(BedrockApp.MODEL, attribute(span, "mlflow.llm.model").asText());
    assertEquals(parseJson(BedrockApp.INVOKE_BODY), attribute(span, "mlflow.spanInputs"));
    List<JsonNode> expected = new ArrayList<>();
    for (String chunk : BedrockFake.MODEL_CHUNKS) {
      expected.add(parseJson(chunk));
    }
    assertEquals(expected, chunks(span));
    assertEquals(TraceFiles.JSON.valueToTree(expected), attribute(span, "mlflow.spanOutputs"));
    assertEquals(parseJson("{\"input_tokens\":14,\"output_tokens\":7,\"total_tokens\":21}"),
        attribute(span, "mlflow.chat.tokenUsage"));
    assertEquals(BedrockFake.STREAM_REQUEST_ID, attribute(span, "aws.request_id").asText());
  }

  @Test
  void theAppPrintsExactlyWhatItPrintsWithoutTheAgent() throws Exception {
    bedrock.reset();
    Result without = ForkedApp.of(BedrockApp.class).args(bedrock.endpoint()).withoutAgent().run()
        .assertCleanRun();

    assertEquals(without.stdout(), run.stdout());
    // The app itself prints nothing there; on JDK 24+ its own Netty makes the JVM warn about Unsafe.
    assertEquals(List.of(), without.stderr().lines()
        .filter(line -> !line.startsWith("WARNING: ")).collect(Collectors.toList()));
    assertEquals("aws-sdk-java-v2 " + System.getProperty("bedrock.version"),
        run.stdout().lines().findFirst().orElseThrow(), "the SDK version the build chose");
  }

  @Test
  void theCredentialsAndTheSignatureReachNeitherATraceNorALogLine() throws Exception {
    String exported = TraceFiles.allText(run.workingDir().resolve("mlflow-traces"));
    LoggedRequest signed = bedrock.server().getAllServeEvents().get(0).getRequest();

    assertTrue(signed.getHeader("Authorization").contains("Credential=" + BedrockApp.ACCESS_KEY_ID),
        "the app really signed its calls with the key");
    assertFalse(exported.isEmpty());
    for (String secret : List.of(BedrockApp.ACCESS_KEY_ID, BedrockApp.SECRET_ACCESS_KEY,
        "AWS4-HMAC-SHA256", "Signature=", "Authorization", "X-Amz-Date", "x-amz-content-sha256")) {
      assertFalse(exported.contains(secret), secret + " was exported");
      assertFalse(run.stderr().contains(secret), secret + " was logged");
    }
  }

  @Test
  void theStartLineListsTheBedrockIntegration() {
    assertTrue(run.agentLines().get(0).matches(".*; integrations: (.*, )?bedrock(, .*)?"),
        run.agentLines().get(0));
    assertTrue(run.agentLines().stream().anyMatch(line -> line.contains("12 trace(s) written")),
        run.stderr());
  }
}
