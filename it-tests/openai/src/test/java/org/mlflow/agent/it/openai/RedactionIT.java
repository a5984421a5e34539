package org.mlflow.agent.it.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mlflow.agent.it.support.TraceFiles.attribute;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.it.support.ForkedApp;
import org.mlflow.agent.it.support.ForkedApp.Result;
import org.mlflow.agent.it.support.TraceFiles;

/**
 * {@code MLFLOW_AGENT_REDACT_PATTERNS}: what the user's patterns match never leaves the JVM, in
 * inputs or outputs, while the app's own results are untouched.
 */
class RedactionIT {

  /** The app asks about "MLflow" and "tracing"; the fake answers about "MLflow". */
  static final String PATTERNS = "MLflow|[Tt]racing";

  private static OpenAiFake openai;

  @BeforeAll
  static void startFake() {
    openai = new OpenAiFake();
  }

  @AfterAll
  static void stopFake() {
    openai.close();
  }

  @Test
  void matchesAreRedactedInInputsAndOutputsAndTheAppSeesTheRealAnswers() throws Exception {
    Result with = ForkedApp.of(OpenAiChatApp.class).args(openai.baseUrl())
        .env("MLFLOW_AGENT_REDACT_PATTERNS", PATTERNS).run().assertCleanRun();
    Result without = ForkedApp.of(OpenAiChatApp.class).args(openai.baseUrl()).withoutAgent().run();
    assertEquals(without.stdout(), with.stdout());
    assertTrue(with.stdout().contains(OpenAiFake.ANSWER), "the app got the unredacted answer");

    List<JsonNode> traces = TraceFiles.read(with.workingDir().resolve("mlflow-traces"));
    assertEquals(3, traces.size());
    JsonNode span = traces.get(0).path("data").path("spans").path(0);
    assertEquals("What is [REDACTED]?", attribute(span, "mlflow.spanInputs").path("messages").path(1)
        .path("content").asText());
    assertEquals(OpenAiFake.ANSWER.replace("MLflow", "[REDACTED]"),
        attribute(span, "mlflow.spanOutputs").path("choices").path(0).path("message")
            .path("content").asText());
    assertEquals("And what is [REDACTED]?", attribute(traces.get(1).path("data").path("spans")
        .path(0), "mlflow.spanInputs").path("messages").path(1).path("content").asText());
    String written = TraceFiles.allText(with.workingDir().resolve("mlflow-traces"));
    assertFalse(written.contains("What is MLflow") || written.contains("what is tracing")
        || written.contains(OpenAiFake.ANSWER), "no match is left in any exported byte");
  }
}
