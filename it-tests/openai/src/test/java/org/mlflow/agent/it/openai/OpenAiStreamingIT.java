package org.mlflow.agent.it.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mlflow.agent.it.openai.ExportedSpans.chunks;
import static org.mlflow.agent.it.openai.ExportedSpans.exceptions;
import static org.mlflow.agent.it.openai.ExportedSpans.parsedAll;
import static org.mlflow.agent.it.openai.ExportedSpans.requestsTo;
import static org.mlflow.agent.it.openai.ExportedSpans.status;
import static org.mlflow.agent.it.openai.ExportedSpans.usage;
import static org.mlflow.agent.it.support.TraceFiles.attribute;
import static org.mlflow.agent.it.support.TraceFiles.parseJson;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.it.support.ForkedApp;
import org.mlflow.agent.it.support.ForkedApp.Result;
import org.mlflow.agent.it.support.TraceFiles;

/**
 * Streamed chat completions: each stream is one span that ends exactly once, when the app has read
 * it to the end, closed it early, or the stream failed, with each chunk as an event and the
 * completion reassembled from them.
 */
class OpenAiStreamingIT {

  private static OpenAiFake openai;
  private static TruncatedStreamServer cutting;
  private static Result run;
  private static List<JsonNode> traces;
  private static List<JsonNode> spans;
  private static List<JsonNode> sent;

  @BeforeAll
  static void runTheApp() throws Exception {
    openai = new OpenAiFake();
    cutting = new TruncatedStreamServer(FakeReplies.events(FakeReplies.ANSWER_CHUNKS.subList(0, 2)));
    run = app().run().assertCleanRun();
    traces = TraceFiles.read(run.workingDir().resolve("mlflow-traces"));
    spans = ExportedSpans.oneSpanPerTrace(traces);
    sent = requestsTo(openai.server(), "/v1/chat/completions");
  }

  @AfterAll
  static void stop() throws Exception {
    cutting.close();
    openai.close();
  }

  private static ForkedApp app() {
    return ForkedApp.of(OpenAiStreamingApp.class).args(openai.baseUrl(), cutting.baseUrl());
  }

  private static String reassembled(String message, String finishReason, String usage) {
    return "{\"id\":\"" + FakeReplies.STREAM_ID + "\",\"object\":\"chat.completion\",\"created\":"
        + "1732300001,\"model\":\"" + FakeReplies.SERVED_MODEL + "\",\"choices\":[{\"index\":0,"
        + "\"message\":" + message + ",\"finish_reason\":" + finishReason + "}]"
        + (usage == null ? "" : ",\"usage\":" + usage) + ",\"system_fingerprint\":\"fp_fake\"}";
  }

  @Test
  void eachStreamIsOneTraceOfOneSpan() {
    assertEquals(5, traces.size(), run.stderr());
    for (JsonNode span : spans) {
      assertEquals("Completions", span.get("name").asText());
      assertEquals("CHAT_MODEL", attribute(span, "mlflow.spanType").asText());
      assertEquals("openai", attribute(span, "mlflow.message.format").asText());
      assertEquals("openai", attribute(span, "mlflow.llm.provider").asText());
      assertEquals(FakeReplies.SERVED_MODEL, attribute(span, "mlflow.llm.model").asText());
    }
  }

  @Test
  void aStreamReadToTheEndHasEveryChunkTheReassembledCompletionAndItsUsage() {
    JsonNode span = spans.get(0);

    assertEquals("STATUS_CODE_OK", status(span));
    assertEquals(sent.get(0), attribute(span, "mlflow.spanInputs"),
        "inputs are the body the SDK sent, \"stream\": true included");
    assertTrue(sent.get(0).get("stream").asBoolean());
    assertEquals(parsedAll(FakeReplies.ANSWER_CHUNKS), chunks(span));
    assertEquals(parseJson(reassembled("{\"role\":\"assistant\",\"content\":\""
            + FakeReplies.STREAMED_ANSWER + "\"}", "\"stop\"", "{\"prompt_tokens\":14,"
            + "\"completion_tokens\":3,\"total_tokens\":17}")),
        attribute(span, "mlflow.spanOutputs"));
    assertEquals(parseJson("{\"input_tokens\":14,\"output_tokens\":3,\"total_tokens\":17}"),
        usage(span));
    JsonNode info = traces.get(0).get("info");
    assertEquals("What does MLflow trace?", info.get("request_preview").asText());
    assertEquals(FakeReplies.STREAMED_ANSWER, info.get("response_preview").asText());
    assertEquals(parseJson("{\"input_tokens\":14,\"output_tokens\":3,\"total_tokens\":17}"),
        parseJson(info.at("/trace_metadata/mlflow.trace.tokenUsage").asText()));
  }

  @Test
  void aStreamedToolCallIsMergedFromItsPieces() {
    JsonNode span = spans.get(1);

    assertEquals("STATUS_CODE_OK", status(span));
    assertEquals(sent.get(1), attribute(span, "mlflow.spanInputs"));
    assertEquals(parsedAll(FakeReplies.TOOL_CALL_CHUNKS), chunks(span));
    assertEquals(parseJson(reassembled("{\"role\":\"assistant\",\"content\":null,\"tool_calls\":"
            + "[{\"id\":\"call_weather\",\"type\":\"function\",\"function\":{\"name\":\""
            + FakeReplies.TOOL_NAME + "\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]}",
            "\"tool_calls\"", null)),
        attribute(span, "mlflow.spanOutputs"));
    assertNull(usage(span), "this stream sent no usage");
  }

  @Test
  void aStreamClosedEarlyEndsOnceAsOkWithWhatWasRead() {
    JsonNode span = spans.get(2);

    assertEquals("STATUS_CODE_OK", status(span));
    assertTrue(exceptions(span).isEmpty());
    assertEquals(parsedAll(FakeReplies.ANSWER_CHUNKS.subList(0, 2)), chunks(span),
        "the chunks the app read before closing");
    assertEquals(parseJson(reassembled("{\"role\":\"assistant\",\"content\":\""
            + FakeReplies.STREAMED_WORDS.get(0) + "\"}", "null", null)),
        attribute(span, "mlflow.spanOutputs"));
    assertNull(usage(span));
  }

  @Test
  void aStreamTheServerFailsHalfWayEndsOnceAsAnErrorWithWhatCameBefore() {
    assertFailedHalfWay(spans.get(3), traces.get(3), "com.openai.errors.SseException",
        FakeReplies.OVERLOADED);
  }

  @Test
  void aStreamWhoseConnectionIsCutEndsOnceAsAnError() {
    assertFailedHalfWay(spans.get(4), traces.get(4), "com.openai.errors.OpenAIIoException",
        "Stream failed");
  }

  private static void assertFailedHalfWay(JsonNode span, JsonNode trace, String exceptionType,
      String message) {
    assertEquals("STATUS_CODE_ERROR", status(span));
    assertEquals("ERROR", trace.at("/info/state").asText());
    List<JsonNode> exceptions = exceptions(span);
    assertEquals(1, exceptions.size(), "ended once: " + span);
    assertEquals(exceptionType, exceptions.get(0).get("exception.type").asText());
    assertTrue(exceptions.get(0).get("exception.message").asText().contains(message),
        exceptions.get(0).toString());
    assertEquals(2, chunks(span).size(), "the chunks that came before the failure");
    assertEquals(FakeReplies.STREAMED_WORDS.get(0),
        attribute(span, "mlflow.spanOutputs").at("/choices/0/message/content").asText());
  }

  @Test
  void theAppPrintsExactlyWhatItPrintsWithoutTheAgent() throws Exception {
    Result without = app().withoutAgent().run().assertCleanRun();

    assertEquals(without.stdout(), run.stdout());
    assertEquals("", without.stderr());
    assertTrue(run.stdout().contains("streamed: " + FakeReplies.STREAMED_ANSWER + " (17 tokens)"),
        run.stdout());
    assertTrue(run.stdout().contains("overloaded: MLflow  then com.openai.errors.SseException"),
        run.stdout());
    assertTrue(run.stdout().contains("cut: MLflow  then com.openai.errors.OpenAIIoException"),
        run.stdout());
  }
}
