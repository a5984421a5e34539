package org.mlflow.agent.it.googlegenai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mlflow.agent.it.googlegenai.GeminiRun.onlySpan;
import static org.mlflow.agent.it.support.TraceFiles.attribute;
import static org.mlflow.agent.it.support.TraceFiles.parseJson;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link GeminiEmbedApp}: embeddings of a list of texts and of one text. */
class GeminiEmbedIT {

  static final String SUMMARISED = "{\"embeddings\":[{\"dimensions\":4},{\"dimensions\":4}]}";

  private static GeminiFake gemini;
  private static GeminiRun run;

  @BeforeAll
  static void runTheApp() throws Exception {
    gemini = new GeminiFake();
    run = GeminiRun.of(GeminiEmbedApp.class, gemini);
  }

  @AfterAll
  static void stopTheFake() {
    gemini.close();
  }

  @Test
  void eachCallIsAnEmbeddingSpanWithItsVectorsSummarised() {
    assertEquals(2, run.traces.size(), run.withAgent.stderr());
    JsonNode list = onlySpan(run.traces.get(0));
    assertEquals("Models.embedContent", list.get("name").asText());
    assertEquals("EMBEDDING", attribute(list, "mlflow.spanType").asText());
    assertEquals("google", attribute(list, "mlflow.llm.provider").asText());
    assertEquals(GeminiApps.EMBEDDING_MODEL, attribute(list, "mlflow.llm.model").asText());
    assertEquals(parseJson("{\"model\":\"text-embedding-004\",\"contents\":[\"MLflow tracing\","
        + "\"Java agents\"],\"config\":{\"outputDimensionality\":4}}"),
        attribute(list, "mlflow.spanInputs"));
    assertEquals(parseJson(SUMMARISED), attribute(list, "mlflow.spanOutputs"));

    JsonNode single = onlySpan(run.traces.get(1));
    assertEquals("Models.embedContent", single.get("name").asText());
    assertEquals(parseJson("[\"One text.\"]"),
        attribute(single, "mlflow.spanInputs").get("contents"));
  }

  @Test
  void theAppPrintsExactlyWhatItPrintsWithoutTheAgentAndTheKeyStaysSecret() throws Exception {
    run.assertTheAppRanAsWithoutTheAgent();
  }
}
