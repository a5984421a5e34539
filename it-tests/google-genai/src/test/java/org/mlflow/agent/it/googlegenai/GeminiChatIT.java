package org.mlflow.agent.it.googlegenai;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mlflow.agent.it.googlegenai.GeminiRun.onlySpan;
import static org.mlflow.agent.it.support.TraceFiles.attribute;
import static org.mlflow.agent.it.support.TraceFiles.parseJson;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link GeminiChatApp}: generateContent in its text, Content and chat forms, and refusals. */
class GeminiChatIT {

  private static GeminiFake gemini;
  private static GeminiRun run;

  @BeforeAll
  static void runTheApp() throws Exception {
    gemini = new GeminiFake();
    run = GeminiRun.of(GeminiChatApp.class, gemini);
  }

  @AfterAll
  static void stopTheFake() {
    gemini.close();
  }

  @Test
  void aCallIsOneChatModelSpanWithTheRequestAndResponseInTheGeminiFormat() {
    assertEquals(5, run.traces.size(), "one trace per call: " + run.withAgent.stderr());
    JsonNode trace = run.traces.get(0);
    JsonNode span = onlySpan(trace);

    assertEquals("Models.generateContent", span.get("name").asText());
    assertTrue(span.get("parent_span_id").isNull());
    assertEquals("STATUS_CODE_OK", span.at("/status/code").asText());
    assertEquals("CHAT_MODEL", attribute(span, "mlflow.spanType").asText());
    assertEquals("gemini", attribute(span, "mlflow.message.format").asText());
    assertEquals("google", attribute(span, "mlflow.llm.provider").asText());
    assertEquals(GeminiFake.SERVED_MODEL, attribute(span, "mlflow.llm.model").asText());
    assertEquals(parseJson("{\"model\":\"gemini-2.0-flash\",\"contents\":[{\"parts\":[{\"text\":"
        + "\"What is MLflow?\"}],\"role\":\"user\"}],\"config\":{\"temperature\":0.0}}"),
        attribute(span, "mlflow.spanInputs"));
    GeminiRun.assertIsTheResponse(GeminiFake.ANSWER_JSON, attribute(span, "mlflow.spanOutputs"));
    assertEquals(parseJson("{\"input_tokens\":9,\"output_tokens\":12,\"total_tokens\":21,"
        + "\"cache_read_input_tokens\":4}"), attribute(span, "mlflow.chat.tokenUsage"));
    assertNull(attribute(span, "mlflow.chat.tools"));
    assertEquals("Models.generateContent", trace.at("/info/tags/mlflow.traceName").asText());
    // The trace's total carries the cache count too, as MLflow's Python client sums it.
    assertEquals(parseJson("{\"input_tokens\":9,\"output_tokens\":12,\"total_tokens\":21,"
        + "\"cache_read_input_tokens\":4}"),
        parseJson(trace.at("/info/trace_metadata/mlflow.trace.tokenUsage").asText()));
  }

  @Test
  void theContentAndChatFormsAreTheSameSpanWithTheirOwnContents() {
    JsonNode content = onlySpan(run.traces.get(1));
    assertEquals("Models.generateContent", content.get("name").asText());
    assertEquals(parseJson("{\"model\":\"gemini-2.0-flash\",\"contents\":[{\"parts\":[{\"text\":"
        + "\"And what is tracing?\"}],\"role\":\"user\"}]}"),
        attribute(content, "mlflow.spanInputs"));

    JsonNode chat = onlySpan(run.traces.get(2));
    assertEquals("Models.generateContent", chat.get("name").asText());
    assertEquals(parseJson("[{\"parts\":[{\"text\":\"Hello from a chat.\"}],\"role\":\"user\"}]"),
        attribute(chat, "mlflow.spanInputs").get("contents"));
    assertEquals(21, attribute(chat, "mlflow.chat.tokenUsage").get("total_tokens").asInt());
  }

  @Test
  void refusedAndThrottledCallsAreErrorSpansAndTheAppGetsTheSameExceptions() {
    assertRefused(run.traces.get(3), GeminiApps.REJECTED_MODEL, "400", GeminiFake.REFUSAL);
    assertRefused(run.traces.get(4), GeminiApps.THROTTLED_MODEL, "429", GeminiFake.THROTTLED);
    for (String status : List.of("400", "429")) {
      assertTrue(run.withAgent.stdout().contains(
          "error: com.google.genai.errors.ClientException: " + status), run.withAgent.stdout());
    }
    assertEquals(2, gemini.server().findAll(postRequestedFor(
        urlPathEqualTo("/v1beta/models/" + GeminiApps.THROTTLED_MODEL + ":generateContent")))
        .size(), "one request per run, with and without the agent: no retry");
  }

  private static void assertRefused(JsonNode trace, String model, String status, String message) {
    assertEquals("ERROR", trace.at("/info/state").asText());
    JsonNode span = onlySpan(trace);
    assertEquals("STATUS_CODE_ERROR", span.at("/status/code").asText());
    JsonNode event = span.at("/events/0");
    assertEquals("exception", event.get("name").asText());
    assertEquals("com.google.genai.errors.ClientException",
        event.at("/attributes/exception.type").asText());
    String thrown = event.at("/attributes/exception.message").asText();
    assertTrue(thrown.startsWith(status) && thrown.contains(message), thrown);
    assertTrue(event.at("/attributes/exception.stacktrace").asText().contains("Models"));
    assertEquals(model, attribute(span, "mlflow.spanInputs").get("model").asText());
    assertEquals(model, attribute(span, "mlflow.llm.model").asText());
    assertNull(attribute(span, "mlflow.spanOutputs"));
    assertNull(attribute(span, "mlflow.chat.tokenUsage"));
  }

  @Test
  void theAppPrintsExactlyWhatItPrintsWithoutTheAgentAndTheKeyStaysSecret() throws Exception {
    run.assertTheAppRanAsWithoutTheAgent();
  }
}
