package org.mlflow.agent.it.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mlflow.agent.it.openai.ExportedSpans.chunks;
import static org.mlflow.agent.it.openai.ExportedSpans.parsedAll;
import static org.mlflow.agent.it.openai.ExportedSpans.requestsTo;
import static org.mlflow.agent.it.openai.ExportedSpans.status;
import static org.mlflow.agent.it.openai.ExportedSpans.usage;
import static org.mlflow.agent.it.support.TraceFiles.attribute;
import static org.mlflow.agent.it.support.TraceFiles.parseJson;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.it.support.ForkedApp;
import org.mlflow.agent.it.support.ForkedApp.Result;
import org.mlflow.agent.it.support.TraceFiles;

/**
 * Raw responses: the blocking {@code create()} is built over the same {@code withRawResponse()}
 * method the agent hooks, so an application calling that method itself gets one span per call too,
 * ended when it parses the response, or closes it unparsed.
 */
class OpenAiRawResponseIT {

  @Test
  void eachRawCallIsOneSpanEndedByParsingOrClosing() throws Exception {
    try (OpenAiFake openai = new OpenAiFake()) {
      ForkedApp app = ForkedApp.of(OpenAiRawResponseApp.class).args(openai.baseUrl());
      Result run = app.run().assertCleanRun();
      List<JsonNode> spans = ExportedSpans.oneSpanPerTrace(
          TraceFiles.read(run.workingDir().resolve("mlflow-traces")));
      List<JsonNode> sent = requestsTo(openai.server(), "/v1/chat/completions");

      assertEquals(3, spans.size(), run.stderr());
      JsonNode parsed = spans.get(0);
      assertEquals("Completions", parsed.get("name").asText());
      assertEquals(sent.get(0), attribute(parsed, "mlflow.spanInputs"));
      assertEquals(parseJson(OpenAiFake.COMPLETION_JSON), attribute(parsed, "mlflow.spanOutputs"));
      assertEquals(parseJson("{\"input_tokens\":21,\"output_tokens\":12,\"total_tokens\":33}"),
          usage(parsed));

      JsonNode stream = spans.get(1);
      assertEquals(sent.get(1), attribute(stream, "mlflow.spanInputs"));
      assertEquals(parsedAll(FakeReplies.ANSWER_CHUNKS), chunks(stream));
      assertEquals(FakeReplies.STREAMED_ANSWER,
          attribute(stream, "mlflow.spanOutputs").at("/choices/0/message/content").asText());

      JsonNode unparsed = spans.get(2);
      assertEquals("Embeddings", unparsed.get("name").asText());
      assertEquals("STATUS_CODE_OK", status(unparsed));
      assertEquals(FakeReplies.EMBEDDING_MODEL,
          attribute(unparsed, "mlflow.spanInputs").get("model").asText());
      assertNull(attribute(unparsed, "mlflow.spanOutputs"), "closed without being read");

      assertEquals(app.withoutAgent().run().assertCleanRun().stdout(), run.stdout());
      assertTrue(run.stdout().startsWith("raw 200 [application/json]: " + OpenAiFake.ANSWER),
          run.stdout());
    }
  }
}
