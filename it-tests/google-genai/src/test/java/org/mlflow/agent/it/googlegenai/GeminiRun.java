package org.mlflow.agent.it.googlegenai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import static org.mlflow.agent.it.support.TraceFiles.parseJson;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.mlflow.agent.it.support.ForkedApp;
import org.mlflow.agent.it.support.ForkedApp.Result;
import org.mlflow.agent.it.support.TraceFiles;

/**
 * One Gemini app run twice against the fake, with the agent (traces to the local folder) and
 * without it; the two runs must print the same.
 */
final class GeminiRun {

  final Result withAgent;
  final Result withoutAgent;
  final List<JsonNode> traces;

  private GeminiRun(Result withAgent, Result withoutAgent, List<JsonNode> traces) {
    this.withAgent = withAgent;
    this.withoutAgent = withoutAgent;
    this.traces = traces;
  }

  static GeminiRun of(Class<?> app, GeminiFake gemini) throws Exception {
    Result with = ForkedApp.of(app).args(gemini.baseUrl()).run().assertCleanRun();
    Result without = ForkedApp.of(app).args(gemini.baseUrl()).withoutAgent().run()
        .assertCleanRun();
    return new GeminiRun(with, without,
        TraceFiles.read(with.workingDir().resolve("mlflow-traces")));
  }

  /** The application sees exactly what it sees without the agent, and no secret leaks. */
  void assertTheAppRanAsWithoutTheAgent() throws Exception {
    assertEquals(withoutAgent.stdout(), withAgent.stdout());
    String exported = TraceFiles.allText(withAgent.workingDir().resolve("mlflow-traces"));
    assertFalse(exported.isEmpty());
    for (String secret : List.of(GeminiApps.API_KEY, "x-goog-api-key")) {
      assertFalse(exported.contains(secret), secret + " was exported");
      assertFalse(withAgent.stderr().contains(secret), secret + " was logged");
    }
  }

  /** The spans of a trace, in the order they started. */
  static List<JsonNode> spans(JsonNode trace) {
    List<JsonNode> spans = new ArrayList<>();
    trace.at("/data/spans").forEach(spans::add);
    spans.sort((a, b) -> Long.compare(a.get("start_time_unix_nano").asLong(),
        b.get("start_time_unix_nano").asLong()));
    return spans;
  }

  /**
   * Span outputs hold the fake's response as the SDK parsed it: every field as the fake sent it,
   * the content and usage always; an older SDK drops the fields it does not know (1.0.0 keeps no
   * {@code responseId}).
   */
  static void assertIsTheResponse(String responseJson, JsonNode outputs) {
    JsonNode sent = parseJson(responseJson);
    for (String kept : List.of("candidates", "usageMetadata", "modelVersion")) {
      assertEquals(sent.has(kept), outputs.has(kept), kept + " in " + outputs);
    }
    outputs.fields().forEachRemaining(field ->
        assertEquals(sent.get(field.getKey()), field.getValue(), field.getKey()));
  }

  /** The only span of a trace. */
  static JsonNode onlySpan(JsonNode trace) {
    List<JsonNode> spans = spans(trace);
    assertEquals(1, spans.size(), "one span: " + trace);
    return spans.get(0);
  }
}
