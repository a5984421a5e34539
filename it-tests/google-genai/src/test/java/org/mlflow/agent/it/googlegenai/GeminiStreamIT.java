package org.mlflow.agent.it.googlegenai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.mlflow.agent.it.googlegenai.GeminiRun.onlySpan;
import static org.mlflow.agent.it.support.TraceFiles.attribute;
import static org.mlflow.agent.it.support.TraceFiles.parseJson;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link GeminiStreamApp}: a stream read to its end, one closed early, one refused. */
class GeminiStreamIT {

  /** The three streamed events, added up. */
  static final String ASSEMBLED = "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\""
      + GeminiFake.ANSWER + "\"}],\"role\":\"model\"},\"index\":0,\"finishReason\":\"STOP\"}],"
      + "\"modelVersion\":\"" + GeminiFake.SERVED_MODEL + "\",\"responseId\":\"resp-stream\","
      + "\"usageMetadata\":{\"promptTokenCount\":9,\"candidatesTokenCount\":12,"
      + "\"totalTokenCount\":21}}";

  private static GeminiFake gemini;
  private static GeminiRun run;

  @BeforeAll
  static void runTheApp() throws Exception {
    gemini = new GeminiFake();
    run = GeminiRun.of(GeminiStreamApp.class, gemini);
  }

  @AfterAll
  static void stopTheFake() {
    gemini.close();
  }

  /** A stream read to its end: a chunk event per item, the items added up as outputs. */
  static void assertWholeStream(JsonNode span, String name) {
    assertEquals(name, span.get("name").asText());
    assertEquals("STATUS_CODE_OK", span.at("/status/code").asText());
    assertEquals("CHAT_MODEL", attribute(span, "mlflow.spanType").asText());
    assertEquals("gemini", attribute(span, "mlflow.message.format").asText());
    assertEquals(GeminiFake.SERVED_MODEL, attribute(span, "mlflow.llm.model").asText());
    JsonNode events = span.get("events");
    assertEquals(GeminiFake.STREAM_EVENTS.length, events.size());
    for (int i = 0; i < events.size(); i++) {
      assertEquals("mlflow.chunk.item." + i, events.get(i).get("name").asText());
      GeminiRun.assertIsTheResponse(GeminiFake.STREAM_EVENTS[i],
          parseJson(events.get(i).at("/attributes/mlflow.chunk.value").asText()));
    }
    GeminiRun.assertIsTheResponse(ASSEMBLED, attribute(span, "mlflow.spanOutputs"));
    assertEquals(parseJson("{\"input_tokens\":9,\"output_tokens\":12,\"total_tokens\":21}"),
        attribute(span, "mlflow.chat.tokenUsage"));
  }

  @Test
  void aStreamReadToItsEndIsOneSpanWithEveryChunkAndTheWholeAnswer() {
    assertEquals(3, run.traces.size(), run.withAgent.stderr());
    JsonNode span = onlySpan(run.traces.get(0));
    assertWholeStream(span, "Models.generateContentStream");
    assertEquals(parseJson("{\"model\":\"gemini-2.0-flash\",\"contents\":[{\"parts\":[{\"text\":"
        + "\"What is MLflow?\"}],\"role\":\"user\"}]}"), attribute(span, "mlflow.spanInputs"));
  }

  @Test
  void aStreamClosedEarlyEndsWithWhatWasRead() {
    JsonNode span = onlySpan(run.traces.get(1));
    assertEquals("STATUS_CODE_OK", span.at("/status/code").asText());
    assertEquals(1, span.get("events").size());
    assertEquals("MLflow is ", attribute(span, "mlflow.spanOutputs")
        .at("/candidates/0/content/parts/0/text").asText());
  }

  @Test
  void aRefusedStreamIsAnErrorSpan() {
    JsonNode span = onlySpan(run.traces.get(2));
    assertEquals("STATUS_CODE_ERROR", span.at("/status/code").asText());
    assertEquals("com.google.genai.errors.ClientException",
        span.at("/events/0/attributes/exception.type").asText());
    assertNull(attribute(span, "mlflow.spanOutputs"));
  }

  @Test
  void theAppPrintsExactlyWhatItPrintsWithoutTheAgentAndTheKeyStaysSecret() throws Exception {
    run.assertTheAppRanAsWithoutTheAgent();
  }
}
