package org.mlflow.agent.it.anthropic;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mlflow.agent.it.support.TraceFiles.attribute;
import static org.mlflow.agent.it.support.TraceFiles.parseJson;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.it.support.ForkedApp;
import org.mlflow.agent.it.support.ForkedApp.Result;
import org.mlflow.agent.it.support.TraceFiles;

/**
 * The Anthropic SDK app, unchanged, making every call form once with the agent attached (traces
 * go to the local folder) and once without: each call is one trace, the app's output is the same.
 */
class AnthropicMessagesIT {

  /** The app's calls, in order: trace i is call i. */
  private static final List<String> CALLS = List.of(
      "create", "create-unauthorized", "create-overloaded",
      "async-create", "async-create-overloaded",
      "stream", "stream-closed-early", "stream-cut", "stream-error-event", "stream-unauthorized",
      "async-stream", "async-stream-overloaded");

  private static final String USAGE = "{\"input_tokens\":1225,\"output_tokens\":40,"
      + "\"total_tokens\":1265,\"cache_read_input_tokens\":1000,"
      + "\"cache_creation_input_tokens\":200}";

  private static AnthropicFake anthropic;
  private static Result traced;
  private static Result untraced;
  private static List<JsonNode> traces;
  private static List<LoggedRequest> requests;

  @BeforeAll
  static void runTheAppWithAndWithoutTheAgent() throws Exception {
    anthropic = new AnthropicFake();
    List<String> args = new ArrayList<>(List.of(anthropic.baseUrl()));
    args.addAll(CALLS);
    traced = ForkedApp.of(AnthropicApp.class).args(args.toArray(new String[0])).run()
        .assertCleanRun();
    requests = anthropic.server().findAll(postRequestedFor(urlEqualTo("/v1/messages")));
    untraced = ForkedApp.of(AnthropicApp.class).args(args.toArray(new String[0])).withoutAgent()
        .run().assertCleanRun();
    traces = TraceFiles.read(traced.workingDir().resolve("mlflow-traces"));
  }

  @AfterAll
  static void stopFake() {
    anthropic.close();
  }

  private static JsonNode trace(String call) {
    return traces.get(CALLS.indexOf(call));
  }

  private static JsonNode span(String call) {
    JsonNode spans = trace(call).at("/data/spans");
    assertEquals(1, spans.size(), call + " is one span");
    return spans.get(0);
  }

  /** The body the SDK sent for a call, as the fake received it. */
  private static JsonNode sentBody(String call) {
    return parseJson(requests.get(CALLS.indexOf(call)).getBodyAsString());
  }

  private static List<JsonNode> chunks(JsonNode span) {
    List<JsonNode> chunks = new ArrayList<>();
    for (JsonNode event : span.get("events")) {
      if (event.get("name").asText().startsWith("mlflow.chunk.item.")) {
        assertEquals("mlflow.chunk.item." + chunks.size(), event.get("name").asText());
        chunks.add(parseJson(event.at("/attributes/mlflow.chunk.value").asText()));
      }
    }
    return chunks;
  }

  /** The data of the streamed events the app reads: the fake's, without the pings. */
  private static List<JsonNode> streamedItems(int events) {
    List<JsonNode> items = new ArrayList<>();
    for (String[] event : AnthropicFake.STREAM_EVENTS.subList(0, events)) {
      if (!event[0].equals("ping")) {
        items.add(parseJson(event[1]));
      }
    }
    return items;
  }

  /**
   * The exception type the app printed for a call, without the agent: which type a status maps
   * to depends on the SDK version (a 529 is an OverloadedException in 3.12, an
   * InternalServerException in 3.0).
   */
  private static String exceptionTheAppGot(String call) {
    String block = untraced.stdout().split("== " + call + "\\R", 2)[1].split("\\R== ", 2)[0];
    String failed = block.lines().filter(line -> line.startsWith("failed")).findFirst()
        .orElseThrow(() -> new AssertionError(call + " did not fail: " + block));
    return failed.replaceFirst("^failed[^:]*: ", "").split(":", 2)[0];
  }

  private static void assertError(String call, String message) {
    JsonNode trace = trace(call);
    assertEquals("ERROR", trace.at("/info/state").asText(), call);
    JsonNode span = span(call);
    assertEquals("STATUS_CODE_ERROR", span.at("/status/code").asText(), call);
    JsonNode exception = null;
    for (JsonNode event : span.get("events")) {
      if (event.get("name").asText().equals("exception")) {
        exception = event;
      }
    }
    String type = exceptionTheAppGot(call);
    assertTrue(type.startsWith("com.anthropic.errors."), type);
    assertEquals(type, exception.at("/attributes/exception.type").asText(), call);
    assertTrue(exception.at("/attributes/exception.message").asText().contains(message), call);
    assertFalse(exception.at("/attributes/exception.stacktrace").asText().isEmpty());
    assertEquals(AnthropicApp.QUESTION, trace.at("/info/request_preview").asText());
  }

  @Test
  void theAppPrintsExactlyWhatItPrintsWithoutTheAgent() {
    assertEquals(untraced.stdout(), traced.stdout());
    assertEquals("", untraced.stderr());
    assertTrue(traced.stdout().startsWith(
        "sdk: anthropic-java-core-" + System.getProperty("anthropic.version") + ".jar"),
        "the SDK version under test: " + traced.stdout().lines().findFirst().orElse(""));
  }

  @Test
  void eachCallIsOneChatModelTraceNamedAsMlflowsAutologNamesIt() {
    assertEquals(CALLS.size(), traces.size(), traced.stderr());
    for (String call : CALLS) {
      JsonNode span = span(call);
      String name = call.startsWith("async-") ? "AsyncMessages.create" : "Messages.create";
      assertEquals(name, span.get("name").asText(), call);
      assertEquals(name, trace(call).at("/info/tags/mlflow.traceName").asText(), call);
      assertTrue(span.get("parent_span_id").isNull(), call);
      assertEquals("CHAT_MODEL", attribute(span, "mlflow.spanType").asText(), call);
      assertEquals("anthropic", attribute(span, "mlflow.message.format").asText(), call);
      assertEquals("anthropic", attribute(span, "mlflow.llm.provider").asText(), call);
    }
    assertTrue(traced.agentLines().get(0).matches(".*integrations: .*\\banthropic\\b.*"),
        traced.agentLines().get(0));
  }

  @Test
  void aCallRecordsTheRequestSentTheMessageReceivedTheToolsAndTheUsage() {
    for (String call : List.of("create", "async-create")) {
      JsonNode trace = trace(call);
      JsonNode span = span(call);
      assertEquals("OK", trace.at("/info/state").asText());
      assertEquals(sentBody(call), attribute(span, "mlflow.spanInputs"), call);
      assertEquals(parseJson(AnthropicFake.MESSAGE_JSON), attribute(span, "mlflow.spanOutputs"));
      assertEquals(AnthropicFake.SERVED_MODEL, attribute(span, "mlflow.llm.model").asText());
      assertEquals(parseJson(USAGE), attribute(span, "mlflow.chat.tokenUsage"), call);
      assertEquals(parseJson(USAGE),
          parseJson(trace.at("/info/trace_metadata/mlflow.trace.tokenUsage").asText()), call);
      assertEquals(parseJson("[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
              + "\"description\":\"The current weather of a city\",\"parameters\":{"
              + "\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},"
              + "\"required\":[\"city\"]}}}]"),
          attribute(span, "mlflow.chat.tools"), call);
      assertEquals(AnthropicApp.QUESTION, trace.at("/info/request_preview").asText());
      assertTrue(trace.at("/info/response_preview").asText().contains(AnthropicFake.ANSWER));
    }
  }

  @Test
  void aRefusedOrOverloadedCallIsAnErrorSpanAndTheAppGetsTheSameException() {
    assertError("create-unauthorized", AnthropicFake.REFUSAL);
    assertEquals("com.anthropic.errors.UnauthorizedException",
        exceptionTheAppGot("create-unauthorized"));
    assertError("create-overloaded", AnthropicFake.OVERLOADED);
    assertError("async-create-overloaded", AnthropicFake.OVERLOADED);
    assertError("stream-unauthorized", AnthropicFake.REFUSAL);
    assertError("async-stream-overloaded", AnthropicFake.OVERLOADED);
    for (String call : List.of("create-unauthorized", "async-create-overloaded")) {
      JsonNode span = span(call);
      assertEquals(sentBody(call), attribute(span, "mlflow.spanInputs"), call);
      assertNull(attribute(span, "mlflow.spanOutputs"), call);
      assertNull(attribute(span, "mlflow.chat.tokenUsage"), call);
    }
  }

  @Test
  void aStreamRecordsEachEventAndItsOutputIsTheMessageTheEventsAddUpTo() {
    for (String call : List.of("stream", "async-stream")) {
      JsonNode trace = trace(call);
      JsonNode span = span(call);
      assertEquals("OK", trace.at("/info/state").asText(), call);
      assertEquals(streamedItems(AnthropicFake.STREAM_EVENTS.size()), chunks(span), call);
      assertEquals(AnthropicFake.STREAM_ITEMS, chunks(span).size());
      assertEquals(parseJson(AnthropicFake.MESSAGE_JSON), attribute(span, "mlflow.spanOutputs"),
          call);
      assertEquals(sentBody(call), attribute(span, "mlflow.spanInputs"), call);
      assertEquals(parseJson(USAGE), attribute(span, "mlflow.chat.tokenUsage"), call);
      assertEquals(parseJson(USAGE),
          parseJson(trace.at("/info/trace_metadata/mlflow.trace.tokenUsage").asText()), call);
      assertEquals(AnthropicFake.SERVED_MODEL, attribute(span, "mlflow.llm.model").asText());
    }
  }

  @Test
  void aStreamClosedEarlyEndsItsSpanOnceWithWhatWasRead() {
    JsonNode span = span("stream-closed-early");
    assertEquals("STATUS_CODE_OK", span.at("/status/code").asText());
    List<JsonNode> read = streamedItems(AnthropicApp.EVENTS_READ_BEFORE_CLOSING + 1);
    assertEquals(AnthropicApp.EVENTS_READ_BEFORE_CLOSING, read.size(), "a ping is not read");
    assertEquals(read, chunks(span));
    assertEquals("Let me check ",
        attribute(span, "mlflow.spanOutputs").at("/content/0/text").asText());
    assertEquals(parseJson("{\"input_tokens\":1225,\"output_tokens\":1,\"total_tokens\":1226,"
            + "\"cache_read_input_tokens\":1000,\"cache_creation_input_tokens\":200}"),
        attribute(span, "mlflow.chat.tokenUsage"), "message_delta never came");
  }

  @Test
  void aStreamCutOrFailingMidWayEndsItsSpanOnceAsAnErrorWithWhatArrived() {
    assertError("stream-cut", "");
    assertEquals("com.anthropic.errors.AnthropicIoException", exceptionTheAppGot("stream-cut"));
    assertError("stream-error-event", AnthropicFake.OVERLOADED);
    for (String call : List.of("stream-cut", "stream-error-event")) {
      JsonNode span = span(call);
      assertEquals(streamedItems(AnthropicFake.EVENTS_BEFORE_FAILURE), chunks(span), call);
      assertEquals("Let me check ",
          attribute(span, "mlflow.spanOutputs").at("/content/0/text").asText(), call);
    }
  }

  @Test
  void theApiKeyReachesNeitherATraceNorALogLine() throws Exception {
    String exported = TraceFiles.allText(traced.workingDir().resolve("mlflow-traces"));

    assertFalse(exported.isEmpty());
    assertFalse(exported.contains(AnthropicApp.API_KEY), "the API key was exported");
    assertFalse(traced.stderr().contains(AnthropicApp.API_KEY), "the API key was logged");
  }
}
