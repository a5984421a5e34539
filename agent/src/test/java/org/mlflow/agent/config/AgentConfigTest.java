package org.mlflow.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class AgentConfigTest {

  private static AgentConfig load(Map<String, String> env) {
    return load(env, new Properties());
  }

  private static AgentConfig load(Map<String, String> env, Properties properties) {
    return AgentConfig.load(new SettingSource(env, properties), List.of("openai", "google-genai"));
  }

  @Test
  void nothingSetMeansTheLocalFolderAndTheDefaults() {
    AgentConfig config = load(Map.of());
    assertTrue(config.enabled());
    assertNull(config.trackingUri());
    assertEquals("0", config.experimentId());
    assertEquals(1.0, config.samplingRatio());
    assertEquals(Paths.get("mlflow-traces"), config.tracesDir());
    assertEquals(8192, config.ringSize());
    assertEquals(300, config.traceTimeoutSeconds());
    assertEquals(5, config.flushTimeoutSeconds());
    assertTrue(config.captureContent());
    assertEquals(1_000_000, config.maxContentChars());
    assertEquals(4, config.senderThreads());
    assertTrue(config.integrationEnabled("openai"));
    assertEquals(List.of(), config.problems());
  }

  @Test
  void everyBadValueIsOneLineNamingTheVariableAndWhatItAccepts() {
    AgentConfig config = load(Map.of(
        "ENABLE_MLFLOW_TRACING", "maybe",
        "MLFLOW_TRACE_SAMPLING_RATIO", "1.5",
        "MLFLOW_TRACE_TIMEOUT_SECONDS", "-3",
        "MLFLOW_AGENT_RING_SIZE", "1000",
        "MLFLOW_AGENT_FLUSH_TIMEOUT_SECONDS", "soon",
        "MLFLOW_AGENT_SENDER_THREADS", "0",
        "MLFLOW_EXPERIMENT_ID", "my-experiment",
        "MLFLOW_TRACKING_URI", "ftp://mlflow.example.com",
        "MLFLOW_TRACKING_USERNAME", "alice"));

    assertEquals(List.of(
        "ENABLE_MLFLOW_TRACING=\"maybe\" is not valid: expected true or false; using true.",
        "MLFLOW_TRACKING_URI=\"ftp://mlflow.example.com\" is not supported: expected the http://"
            + " or https:// address of an MLflow tracking server, or databricks; traces go to the"
            + " local folder.",
        "MLFLOW_EXPERIMENT_ID=\"my-experiment\" is not valid: expected the numeric id of an MLflow"
            + " experiment; using 0.",
        "MLFLOW_TRACE_SAMPLING_RATIO=\"1.5\" is not valid: expected a number from 0.0 to 1.0;"
            + " using 1.0.",
        "MLFLOW_TRACE_TIMEOUT_SECONDS=\"-3\" is not valid: expected a whole number of seconds"
            + " above 0; using 300.",
        "MLFLOW_AGENT_RING_SIZE=\"1000\" is not valid: expected a power of two from 16 to 1048576;"
            + " using 8192.",
        "MLFLOW_AGENT_FLUSH_TIMEOUT_SECONDS=\"soon\" is not valid: expected a whole number of"
            + " seconds above 0; using 5.",
        "MLFLOW_AGENT_SENDER_THREADS=\"0\" is not valid: expected a whole number from 1 to 16;"
            + " using 4.",
        "MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD go together: set both for basic"
            + " authentication, or neither; sending no credentials."),
        config.problems());
    assertTrue(config.enabled());
    assertNull(config.trackingUri());
    assertNull(config.trackingUsername());
  }

  @Test
  void theSystemPropertyTwinWins() {
    Properties properties = new Properties();
    properties.setProperty("mlflow.agent.ring.size", "64");
    properties.setProperty("enable.mlflow.tracing", "false");
    AgentConfig config = load(Map.of("MLFLOW_AGENT_RING_SIZE", "128"), properties);
    assertEquals(64, config.ringSize());
    assertFalse(config.enabled());
  }

  @Test
  void credentialsInTheTrackingUriAreNeverShown() {
    AgentConfig good = load(Map.of("MLFLOW_TRACKING_URI", "https://alice:s3cret@mlflow.example:443"));
    assertEquals("https://***@mlflow.example:443", good.trackingUriForDisplay());

    AgentConfig bad = load(Map.of("MLFLOW_TRACKING_URI", "ftp://alice:s3cret@host"));
    assertFalse(bad.problems().get(0).contains("s3cret"), bad.problems().get(0));
  }

  @Test
  void aValueWithANewlineIsStillOneLine() {
    // Found by fuzzing (fuzz/SettingsFuzzTest): a pasted value carried its newline into the log.
    AgentConfig config = load(Map.of("MLFLOW_AGENT_RING_SIZE", "1024\nx",
        "MLFLOW_TRACKING_URI", "true\nfalse"));
    assertEquals(List.of(
        "MLFLOW_TRACKING_URI=\"true\\u000afalse\" is not supported: expected the http:// or"
            + " https:// address of an MLflow tracking server, or databricks; traces go to the local folder.",
        "MLFLOW_AGENT_RING_SIZE=\"1024\\u000ax\" is not valid: expected a power of two from 16"
            + " to 1048576; using 8192."), config.problems());
  }

  @Test
  void redactPatternsAreOneRegularExpression() {
    AgentConfig config = load(Map.of("MLFLOW_AGENT_REDACT_PATTERNS", "\\d{3}-\\d{4}|secret"));
    assertEquals("\\d{3}-\\d{4}|secret", config.redactPattern().pattern());
    assertTrue(config.captureContent());
    assertEquals(List.of(), config.problems());
  }

  @Test
  void anInvalidRedactPatternKeepsNoContentRatherThanExportItUnredacted() {
    AgentConfig config = load(Map.of("MLFLOW_AGENT_REDACT_PATTERNS", "(unclosed"));
    assertNull(config.redactPattern());
    assertFalse(config.captureContent());
    assertEquals(1, config.problems().size());
    assertTrue(config.problems().get(0).startsWith("MLFLOW_AGENT_REDACT_PATTERNS=\"(unclosed\" is not"
        + " valid: expected a Java regular expression"), config.problems().get(0));
  }

  @Test
  void basicCredentialsNeedBothHalves() {
    AgentConfig config = load(Map.of("MLFLOW_TRACKING_USERNAME", "alice",
        "MLFLOW_TRACKING_PASSWORD", "pw"));
    assertEquals("alice", config.trackingUsername());
    assertEquals("pw", config.trackingPassword());
    assertEquals(List.of(), config.problems());
  }

  @Test
  void variablesListsExactlyTheVariablesTheAgentReads() {
    List<String> read = new java.util.ArrayList<>();
    Map<String, String> recordingEnvironment = new java.util.HashMap<>() {
      @Override
      public String get(Object key) {
        if (!read.contains(key)) {
          read.add((String) key);
        }
        return null;
      }
    };
    load(recordingEnvironment);
    read.replaceAll(name -> name.equals(AgentConfig.integrationSwitch("openai"))
        || name.equals(AgentConfig.integrationSwitch("google-genai"))
        ? AgentConfig.INTEGRATION_SWITCH : name);
    assertEquals(AgentConfig.VARIABLES, new java.util.ArrayList<>(new java.util.LinkedHashSet<>(read)));
  }

  @Test
  void eachIntegrationHasItsOwnSwitch() {
    AgentConfig config = load(Map.of("MLFLOW_AGENT_GOOGLE_GENAI_ENABLED", "false",
        "MLFLOW_AGENT_OPENAI_ENABLED", "true", "MLFLOW_AGENT_CAPTURE_CONTENT", "false",
        "MLFLOW_AGENT_MAX_CONTENT_CHARS", "2048"));
    assertTrue(config.integrationEnabled("openai"));
    assertFalse(config.integrationEnabled("google-genai"));
    assertFalse(config.captureContent());
    assertEquals(2048, config.maxContentChars());
  }

  @Test
  void databricksMeansTheWorkspaceAtDatabricksHostWithItsToken() {
    AgentConfig config = load(Map.of("MLFLOW_TRACKING_URI", "databricks",
        "DATABRICKS_HOST", "adb-123.4.azuredatabricks.net", "DATABRICKS_TOKEN", "dapi1"));

    assertTrue(config.databricks());
    assertEquals("https://adb-123.4.azuredatabricks.net", config.trackingUri().toString());
    assertEquals("dapi1", config.databricksToken());
    assertEquals(List.of(), config.problems());
  }

  @Test
  void databricksMisconfigurationsAreOneLineEach() {
    assertEquals(List.of("MLFLOW_TRACKING_URI=databricks needs DATABRICKS_HOST, the workspace URL"
            + " (https://<workspace>.cloud.databricks.com); traces go to the local folder."),
        load(Map.of("MLFLOW_TRACKING_URI", "databricks", "DATABRICKS_TOKEN", "t")).problems());
    assertEquals(List.of("MLFLOW_TRACKING_URI=databricks needs credentials: set DATABRICKS_TOKEN,"
            + " or DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET; sending none."),
        load(Map.of("MLFLOW_TRACKING_URI", "databricks", "DATABRICKS_HOST", "https://h"))
            .problems());
    AgentConfig halfOauth = load(Map.of("MLFLOW_TRACKING_URI", "databricks",
        "DATABRICKS_HOST", "https://h", "DATABRICKS_CLIENT_ID", "id"));
    assertNull(halfOauth.databricksClientId());
    assertTrue(halfOauth.problems().get(0).startsWith(
        "DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET go together"), halfOauth.problems().toString());
    AgentConfig profile = load(Map.of("MLFLOW_TRACKING_URI", "databricks://prod"));
    assertNull(profile.trackingUri());
    assertTrue(profile.problems().get(0).contains("the agent reads no Databricks profiles"),
        profile.problems().toString());
  }

  @Test
  void tokenAndBasicCredentialsTogetherAreFlaggedAndTlsAndWorkspaceAreRead() {
    AgentConfig config = load(Map.of("MLFLOW_TRACKING_URI", "https://mlflow.example.com",
        "MLFLOW_TRACKING_TOKEN", "t", "MLFLOW_TRACKING_USERNAME", "u",
        "MLFLOW_TRACKING_PASSWORD", "p", "MLFLOW_TRACKING_INSECURE_TLS", "true",
        "MLFLOW_WORKSPACE", "team-a"));

    assertTrue(config.insecureTls());
    assertEquals("team-a", config.workspace());
    assertEquals(List.of("both MLFLOW_TRACKING_TOKEN and MLFLOW_TRACKING_USERNAME /"
        + " MLFLOW_TRACKING_PASSWORD are set: sending basic credentials, as MLflow's Python"
        + " client does; unset the ones you do not mean."), config.problems());
  }

  @Test
  void anOtlpCollectorIsNamedAsTheOpenTelemetrySpecificationSays() {
    AgentConfig base = load(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/"));
    assertEquals("http://collector:4318/v1/traces", base.otlpTracesEndpoint().toString());
    assertEquals(AgentConfig.DEFAULT_SERVICE_NAME, base.serviceName());
    assertFalse(base.otlpDualExport());

    AgentConfig full = load(Map.of(
        "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318",
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "https://otlp.example.com/api/traces",
        "OTEL_EXPORTER_OTLP_TRACES_HEADERS", "api-key=s%3Dcret%2C1, x-tenant = a b",
        "OTEL_SERVICE_NAME", "checkout",
        "MLFLOW_TRACE_ENABLE_OTLP_DUAL_EXPORT", "true"));
    assertEquals("https://otlp.example.com/api/traces", full.otlpTracesEndpoint().toString());
    assertEquals(Map.of("api-key", "s=cret,1", "x-tenant", "a b"), full.otlpHeaders());
    assertEquals("checkout", full.serviceName());
    assertTrue(full.otlpDualExport());
    assertEquals(List.of(), full.problems());
  }

  @Test
  void aBadOtlpSettingIsOneLineThatNeverShowsAHeaderValue() {
    AgentConfig config = load(Map.of(
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "collector:4317",
        "OTEL_EXPORTER_OTLP_TRACES_HEADERS", "secret-without-name,api-key=ok"));
    assertNull(config.otlpTracesEndpoint());
    assertEquals(Map.of("api-key", "ok"), config.otlpHeaders());
    assertEquals(List.of(
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=\"collector:4317\" is not valid: expected the http://"
            + " or https:// URL of an OTLP/HTTP traces endpoint; traces are not sent over OTLP.",
        "OTEL_EXPORTER_OTLP_TRACES_HEADERS has an entry that is not name=value; that entry is not"
            + " sent."), config.problems());
  }
}
