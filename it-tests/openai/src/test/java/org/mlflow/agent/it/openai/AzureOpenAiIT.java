package org.mlflow.agent.it.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.mlflow.agent.it.openai.ExportedSpans.requestsTo;
import static org.mlflow.agent.it.support.TraceFiles.attribute;
import static org.mlflow.agent.it.support.TraceFiles.parseJson;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.it.support.ForkedApp;
import org.mlflow.agent.it.support.ForkedApp.Result;
import org.mlflow.agent.it.support.TraceFiles;

/** Azure OpenAI through the SDK's Azure mode: the same span, with provider {@code azure}. */
class AzureOpenAiIT {

  @Test
  void anAzureCallIsAChatSpanFromProviderAzure() throws Exception {
    try (OpenAiFake openai = new OpenAiFake()) {
      ForkedApp app = ForkedApp.of(AzureOpenAiApp.class).args(String.valueOf(openai.port()));
      Result run = app.run().assertCleanRun();
      List<JsonNode> spans = ExportedSpans.oneSpanPerTrace(
          TraceFiles.read(run.workingDir().resolve("mlflow-traces")));

      assertEquals(1, spans.size());
      JsonNode span = spans.get(0);
      assertEquals("Completions", span.get("name").asText());
      assertEquals("azure", attribute(span, "mlflow.llm.provider").asText());
      assertEquals("openai", attribute(span, "mlflow.message.format").asText());
      assertEquals(requestsTo(openai.server(), OpenAiFake.AZURE_CHAT_PATH).get(0),
          attribute(span, "mlflow.spanInputs"));
      assertEquals(parseJson(OpenAiFake.COMPLETION_JSON), attribute(span, "mlflow.spanOutputs"));
      assertEquals(OpenAiFake.SERVED_MODEL, attribute(span, "mlflow.llm.model").asText());
      String exported = TraceFiles.allText(run.workingDir().resolve("mlflow-traces"));
      assertFalse(exported.contains(AzureOpenAiApp.AZURE_API_KEY), "the Azure key is not exported");
      assertFalse(run.stderr().contains(AzureOpenAiApp.AZURE_API_KEY));

      assertEquals(app.withoutAgent().run().assertCleanRun().stdout(), run.stdout());
      assertEquals("azure answer: " + OpenAiFake.ANSWER + "\n", run.stdout());
    }
  }
}
