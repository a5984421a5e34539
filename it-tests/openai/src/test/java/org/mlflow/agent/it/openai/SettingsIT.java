package org.mlflow.agent.it.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.it.support.ForkedApp;
import org.mlflow.agent.it.support.ForkedApp.Result;
import org.mlflow.agent.it.support.TraceFiles;

/** What the settings do, and that a wrong one costs one line and nothing else. */
class SettingsIT {

  private static OpenAiFake openai;

  @BeforeAll
  static void startFake() {
    openai = new OpenAiFake();
  }

  @AfterAll
  static void stopFake() {
    openai.close();
  }

  private static ForkedApp app() {
    return ForkedApp.of(OpenAiChatApp.class).args(openai.baseUrl());
  }

  @Test
  void tracingDisabledInstallsNothing() throws Exception {
    Result run = app().env("ENABLE_MLFLOW_TRACING", "false").run().assertCleanRun();

    assertFalse(Files.exists(run.workingDir().resolve("mlflow-traces")));
    assertEquals(1, run.agentLines().size(), run.stderr());
    assertTrue(run.agentLines().get(0).contains("ENABLE_MLFLOW_TRACING is false"));
  }

  @Test
  void badValuesAreOneLineEachAndTracingGoesOn() throws Exception {
    Result run = app()
        .env("MLFLOW_TRACE_SAMPLING_RATIO", "lots")
        .env("MLFLOW_AGENT_RING_SIZE", "1000")
        .env("MLFLOW_TRACKING_URI", "ftp://example")
        .run().assertCleanRun();

    List<String> lines = run.agentLines();
    assertTrue(lines.contains("[mlflow-agent] WARN MLFLOW_TRACE_SAMPLING_RATIO=\"lots\" is not valid:"
        + " expected a number from 0.0 to 1.0; using 1.0."), run.stderr());
    assertTrue(lines.contains("[mlflow-agent] WARN MLFLOW_AGENT_RING_SIZE=\"1000\" is not valid:"
        + " expected a power of two from 16 to 1048576; using 8192."), run.stderr());
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("[mlflow-agent] WARN MLFLOW_TRACKING_URI=")),
        run.stderr());
    assertEquals(3, TraceFiles.read(run.workingDir().resolve("mlflow-traces")).size());
  }

  @Test
  void samplingRatioZeroRecordsNoTrace() throws Exception {
    Result run = app().env("MLFLOW_TRACE_SAMPLING_RATIO", "0").run().assertCleanRun();

    assertFalse(Files.exists(run.workingDir().resolve("mlflow-traces")));
    assertTrue(run.agentLines().get(0).contains("sampling ratio 0.0"), run.stderr());
  }

  @Test
  void theTracesFolderComesFromTheVariableOrItsSystemPropertyTwin() throws Exception {
    Result byVariable = app().env("MLFLOW_AGENT_TRACES_DIR", "by-variable").run().assertCleanRun();
    assertEquals(3, TraceFiles.read(byVariable.workingDir().resolve("by-variable")).size());

    Result byProperty = app()
        .env("MLFLOW_AGENT_TRACES_DIR", "by-variable")
        .jvmOption("-Dmlflow.agent.traces.dir=by-property")
        .run().assertCleanRun();
    assertEquals(3, TraceFiles.read(byProperty.workingDir().resolve("by-property")).size());
    assertFalse(Files.exists(byProperty.workingDir().resolve("by-variable")),
        "the system property wins over the variable");
  }

  @Test
  void withContentCaptureOffSpansKeepEverythingButInputsAndOutputs() throws Exception {
    Result run = app().env("MLFLOW_AGENT_CAPTURE_CONTENT", "false").run().assertCleanRun();

    com.fasterxml.jackson.databind.JsonNode span =
        TraceFiles.read(run.workingDir().resolve("mlflow-traces")).get(0).at("/data/spans/0");
    assertFalse(span.path("attributes").has("mlflow.spanInputs"));
    assertFalse(span.path("attributes").has("mlflow.spanOutputs"));
    assertEquals("\"CHAT_MODEL\"", span.at("/attributes/mlflow.spanType").asText());
    assertEquals("\"" + OpenAiFake.SERVED_MODEL + "\"", span.at("/attributes/mlflow.llm.model").asText());
    assertTrue(span.at("/attributes/mlflow.chat.tokenUsage").asText().contains("\"total_tokens\":33"));
    assertFalse(TraceFiles.allText(run.workingDir().resolve("mlflow-traces")).contains("What is MLflow?"),
        "no message text anywhere, previews included");
    assertTrue(run.agentLines().get(0).contains("content capture off"), run.stderr());
  }

  @Test
  void contentOverTheLimitIsCutWithAMarker() throws Exception {
    Result run = app().env("MLFLOW_AGENT_MAX_CONTENT_CHARS", "40").run().assertCleanRun();

    com.fasterxml.jackson.databind.JsonNode span =
        TraceFiles.read(run.workingDir().resolve("mlflow-traces")).get(0).at("/data/spans/0");
    String inputs = TraceFiles.attribute(span, "mlflow.spanInputs").asText();
    assertTrue(inputs.matches(".{40}\\.\\.\\. \\[truncated by mlflow-tracing-agent: 40 of \\d+ chars]"),
        inputs);
  }

  @Test
  void anIntegrationSwitchedOffTracesNothing() throws Exception {
    Result run = app().env("MLFLOW_AGENT_OPENAI_ENABLED", "false").run().assertCleanRun();

    assertFalse(Files.exists(run.workingDir().resolve("mlflow-traces")));
    String integrations = run.agentLines().get(0).replaceFirst(".*; integrations: ", "");
    assertFalse(java.util.Arrays.asList(integrations.split(", ")).contains("openai"),
        run.stderr());
  }
}
