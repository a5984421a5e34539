package org.mlflow.agent.it.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mlflow.agent.it.support.TraceFiles.attribute;
import static org.mlflow.agent.it.support.TraceFiles.parseJson;

import com.acme.assistant.Assistant;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.it.support.ForkedApp;
import org.mlflow.agent.it.support.ForkedApp.Result;
import org.mlflow.agent.it.support.TraceFiles;

/** The application's own methods named in MLFLOW_AGENT_TRACE_METHODS become the roots. */
class MethodRootsIT {

  private static ChatFake openai;

  @BeforeAll
  static void startFake() {
    openai = new ChatFake();
  }

  @AfterAll
  static void stopFake() {
    openai.close();
  }

  private static ForkedApp assistantApp() {
    return ForkedApp.of(AssistantApp.class).args(openai.baseUrl());
  }

  @Test
  void aTracedMethodIsTheRootOfTheModelCallsItMakes() throws Exception {
    Result run = assistantApp()
        .env("MLFLOW_AGENT_TRACE_METHODS", Assistant.class.getName() + "#*:AGENT")
        .env("MLFLOW_AGENT_TRACE_METADATA", "env=prod,app_version=1.4")
        .run().assertCleanRun();
    List<JsonNode> traces = TraceFiles.read(run.workingDir().resolve("mlflow-traces"));

    assertEquals(2, traces.size(), "answer and refuse; the getter is not traced: " + run.stderr());
    JsonNode answered = traces.get(0);
    assertEquals(List.of("Assistant.answer AGENT", "  Completions CHAT_MODEL"),
        SpanTree.of(answered));
    JsonNode root = SpanTree.span(answered, "Assistant.answer");
    assertEquals(parseJson("{\"question\":\"What is MLflow?\",\"attempts\":1}"),
        attribute(root, "mlflow.spanInputs"));
    assertEquals(parseJson("{\"text\":\"" + ChatFake.ANSWER + "\",\"tokens\":33}"),
        attribute(root, "mlflow.spanOutputs"));
    assertEquals("answer", attribute(root, "mlflow.spanFunctionName").asText());
    JsonNode info = answered.get("info");
    assertEquals("Assistant.answer", info.at("/tags/mlflow.traceName").asText());
    assertEquals("prod", info.at("/trace_metadata/env").asText());
    assertEquals("1.4", info.at("/trace_metadata/app_version").asText());
    assertEquals(parseJson("{\"input_tokens\":21,\"output_tokens\":12,\"total_tokens\":33}"),
        parseJson(info.at("/trace_metadata/mlflow.trace.tokenUsage").asText()));

    JsonNode refused = traces.get(1);
    assertEquals(List.of("Assistant.refuse AGENT ERROR"), SpanTree.of(refused));
    assertEquals("ERROR", refused.at("/info/state").asText());
    JsonNode event = SpanTree.span(refused, "Assistant.refuse").at("/events/0");
    assertEquals("java.lang.IllegalStateException", event.at("/attributes/exception.type").asText());
    assertEquals("refused: Tell me a secret", event.at("/attributes/exception.message").asText());
    assertEquals("prod", refused.at("/info/trace_metadata/env").asText());
  }

  @Test
  void theAppPrintsExactlyWhatItPrintsWithoutTheAgent() throws Exception {
    Result with = assistantApp()
        .env("MLFLOW_AGENT_TRACE_METHODS", Assistant.class.getName() + "#*")
        .run().assertCleanRun();
    Result without = assistantApp().withoutAgent().run().assertCleanRun();

    assertEquals(without.stdout(), with.stdout());
    assertTrue(with.stdout().contains("error: java.lang.IllegalStateException: refused: Tell me a"
        + " secret"), with.stdout());
    assertTrue(with.agentLines().get(0).contains("application methods: 1 pattern(s)"),
        with.stderr());
  }

  @Test
  void anEntryNamingNoMethodOfItsClassIsOneWarningAndTheOthersStillWork() throws Exception {
    Result run = assistantApp()
        .env("MLFLOW_AGENT_TRACE_METHODS", Assistant.class.getName() + "#answr,"
            + Assistant.class.getName() + "#answer")
        .run().assertCleanRun();
    List<JsonNode> traces = TraceFiles.read(run.workingDir().resolve("mlflow-traces"));

    List<String> warnings = run.agentLines().stream()
        .filter(line -> line.startsWith("[mlflow-agent] WARN")).toList();
    assertEquals(List.of("[mlflow-agent] WARN MLFLOW_AGENT_TRACE_METHODS names answr, which "
        + Assistant.class.getName() + " does not declare as a method with a body; nothing of it"
        + " is traced (further occurrences are counted, not printed)"), warnings);
    assertEquals(List.of("Assistant.answer UNKNOWN", "  Completions CHAT_MODEL"),
        SpanTree.of(traces.get(0)));
  }

  @Test
  void badSettingsAreOneLineEachAndTheAppRunsAsWithoutThem() throws Exception {
    Result run = assistantApp()
        .env("MLFLOW_AGENT_TRACE_METHODS", "Assistant.answer")
        .env("MLFLOW_AGENT_TRACE_METADATA", "mlflow.trace.user=alice")
        .run().assertCleanRun();
    List<JsonNode> traces = TraceFiles.read(run.workingDir().resolve("mlflow-traces"));

    List<String> warnings = run.agentLines().stream()
        .filter(line -> line.startsWith("[mlflow-agent] WARN")).toList();
    assertEquals(2, warnings.size(), run.stderr());
    assertTrue(warnings.get(0).contains("MLFLOW_AGENT_TRACE_METHODS=\"Assistant.answer\" is not"
        + " valid"), warnings.get(0));
    assertTrue(warnings.get(1).contains("MLFLOW_AGENT_TRACE_METADATA="), warnings.get(1));
    assertEquals(1, traces.size(), "the model call alone, as without the settings");
    assertEquals(List.of("Completions CHAT_MODEL"), SpanTree.of(traces.get(0)));
    assertTrue(run.stdout().startsWith("answer: " + ChatFake.ANSWER), run.stdout());
  }
}
