package org.mlflow.agent.it.googlegenai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mlflow.agent.it.googlegenai.GeminiRun.onlySpan;
import static org.mlflow.agent.it.support.TraceFiles.attribute;
import static org.mlflow.agent.it.support.TraceFiles.parseJson;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link GeminiAsyncApp}: the CompletableFuture forms. SDK versions whose AsyncModels runs the
 * blocking Models calls on the common pool are traced through those (spans named {@code
 * Models.*}); later ones through AsyncModels itself.
 */
class GeminiAsyncIT {

  private static GeminiFake gemini;
  private static GeminiRun run;
  private static String prefix;

  @BeforeAll
  static void runTheApp() throws Exception {
    gemini = new GeminiFake();
    run = GeminiRun.of(GeminiAsyncApp.class, gemini);
    boolean ownRequests = Arrays.stream(com.google.genai.AsyncModels.class.getDeclaredMethods())
        .anyMatch(method -> method.getName().equals("privateGenerateContent"));
    prefix = ownRequests ? "AsyncModels." : "Models.";
  }

  @AfterAll
  static void stopTheFake() {
    gemini.close();
  }

  @Test
  void eachAsyncCallIsTracedWhenItsFutureCompletes() {
    assertEquals(5, run.traces.size(), run.withAgent.stderr());
    JsonNode answer = onlySpan(run.traces.get(0));
    assertEquals(prefix + "generateContent", answer.get("name").asText());
    assertEquals("CHAT_MODEL", attribute(answer, "mlflow.spanType").asText());
    GeminiRun.assertIsTheResponse(GeminiFake.ANSWER_JSON,
        attribute(answer, "mlflow.spanOutputs"));
    assertEquals(21, attribute(answer, "mlflow.chat.tokenUsage").get("total_tokens").asInt());

    GeminiStreamIT.assertWholeStream(onlySpan(run.traces.get(1)),
        prefix + "generateContentStream");

    JsonNode embedding = onlySpan(run.traces.get(2));
    assertEquals(prefix + "embedContent", embedding.get("name").asText());
    assertEquals("EMBEDDING", attribute(embedding, "mlflow.spanType").asText());
    assertEquals(parseJson(GeminiEmbedIT.SUMMARISED), attribute(embedding, "mlflow.spanOutputs"));

    JsonNode refused = onlySpan(run.traces.get(4));
    assertEquals("STATUS_CODE_ERROR", refused.at("/status/code").asText());
    assertEquals("com.google.genai.errors.ClientException",
        refused.at("/events/0/attributes/exception.type").asText());
    assertTrue(refused.at("/events/0/attributes/exception.message").asText()
        .contains(GeminiFake.REFUSAL));
  }

  @Test
  void anAsyncToolLoopIsAChainOverItsModelCallsThoughTheyRunOnOtherThreads() {
    List<JsonNode> spans = GeminiRun.spans(run.traces.get(3));
    assertEquals(3, spans.size());
    JsonNode call = spans.get(0);
    assertEquals(prefix + "generateContent", call.get("name").asText());
    assertEquals("CHAIN", attribute(call, "mlflow.spanType").asText());
    assertNull(attribute(call, "mlflow.chat.tokenUsage"));
    assertEquals(GeminiFake.TOOL_ANSWER,
        attribute(call, "mlflow.spanOutputs").at("/candidates/0/content/parts/0/text").asText());
    List<Integer> totals = new ArrayList<>();
    for (JsonNode modelCall : spans.subList(1, 3)) {
      assertEquals(prefix + "privateGenerateContent", modelCall.get("name").asText());
      assertEquals(call.get("span_id").asText(), modelCall.get("parent_span_id").asText());
      assertEquals("CHAT_MODEL", attribute(modelCall, "mlflow.spanType").asText());
      totals.add(attribute(modelCall, "mlflow.chat.tokenUsage").get("total_tokens").asInt());
      assertTrue(modelCall.get("end_time_unix_nano").asLong()
          <= call.get("end_time_unix_nano").asLong());
    }
    assertEquals(List.of(35, 52), totals);
    assertEquals(87, parseJson(run.traces.get(3)
        .at("/info/trace_metadata/mlflow.trace.tokenUsage").asText()).get("total_tokens").asInt());
  }

  @Test
  void theAppPrintsExactlyWhatItPrintsWithoutTheAgentAndTheKeyStaysSecret() throws Exception {
    run.assertTheAppRanAsWithoutTheAgent();
  }
}
