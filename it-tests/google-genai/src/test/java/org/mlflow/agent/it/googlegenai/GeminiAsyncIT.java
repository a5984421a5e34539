package org.mlflow.agent.it.googlegenai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mlflow.agent.it.googlegenai.GeminiRun.onlySpan;
import static org.mlflow.agent.it.support.TraceFiles.attribute;
import static org.mlflow.agent.it.support.TraceFiles.parseJson;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
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
    assertEquals(4, run.traces.size(), run.withAgent.stderr());
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

    JsonNode refused = onlySpan(run.traces.get(3));
    assertEquals("STATUS_CODE_ERROR", refused.at("/status/code").asText());
    assertEquals("com.google.genai.errors.ClientException",
        refused.at("/events/0/attributes/exception.type").asText());
    assertTrue(refused.at("/events/0/attributes/exception.message").asText()
        .contains(GeminiFake.REFUSAL));
  }

  @Test
  void theAppPrintsExactlyWhatItPrintsWithoutTheAgentAndTheKeyStaysSecret() throws Exception {
    run.assertTheAppRanAsWithoutTheAgent();
  }
}
