package org.mlflow.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The settings of traced application methods, request roots and static trace metadata. */
class RootSettingsConfigTest {

  private static AgentConfig load(Map<String, String> env) {
    return AgentConfig.load(new SettingSource(env, new Properties()), List.of("openai"));
  }

  @Test
  void unsetMeansNoMethodNoMetadataAndNoHeader() {
    AgentConfig config = load(Map.of());
    assertEquals(List.of(), config.tracedMethods());
    assertEquals(Map.of(), config.traceMetadata());
    assertNull(config.userHeader());
    assertNull(config.sessionHeader());
  }

  @Test
  void goodValuesAreKeptInOrder() {
    AgentConfig config = load(Map.of(
        "MLFLOW_AGENT_TRACE_METHODS", "com.acme.Bot#answer:agent, com.acme.rag.*#*",
        "MLFLOW_AGENT_TRACE_METADATA", "env=prod, app_version=1.4,empty=",
        "MLFLOW_AGENT_USER_HEADER", "X-User-Id",
        "MLFLOW_AGENT_SESSION_HEADER", "X-Session-Id"));

    assertEquals("[com.acme.Bot#answer:AGENT, com.acme.rag.*#*:UNKNOWN]",
        config.tracedMethods().toString());
    assertEquals(List.of("env", "app_version", "empty"),
        List.copyOf(config.traceMetadata().keySet()));
    assertEquals("1.4", config.traceMetadata().get("app_version"));
    assertEquals("", config.traceMetadata().get("empty"));
    assertEquals("X-User-Id", config.userHeader());
    assertEquals("X-Session-Id", config.sessionHeader());
    assertEquals(List.of(), config.problems());
  }

  @Test
  void eachBadValueIsOneLineAndTheSettingKeepsItsDefault() {
    AgentConfig config = load(Map.of(
        "MLFLOW_AGENT_TRACE_METHODS", "com.acme.Bot#answer,com.acme.Bot.answer",
        "MLFLOW_AGENT_TRACE_METADATA", "env=prod,mlflow.trace.user=alice",
        "MLFLOW_AGENT_USER_HEADER", "Authorization",
        "MLFLOW_AGENT_SESSION_HEADER", "X Session"));

    assertEquals(List.of(), config.tracedMethods());
    assertEquals(Map.of(), config.traceMetadata());
    assertNull(config.userHeader());
    assertNull(config.sessionHeader());
    List<String> problems = config.problems();
    assertEquals(4, problems.size(), problems.toString());
    assertEquals("MLFLOW_AGENT_TRACE_METHODS=\"com.acme.Bot#answer,com.acme.Bot.answer\" is not"
        + " valid (com.acme.Bot.answer has no #<method>): expected comma-separated"
        + " <class>#<method>[:<SPAN_TYPE>] entries, <class> a class name or <package>.*, <method>"
        + " a method name or *, e.g. com.acme.Bot#answer:AGENT,com.acme.rag.*#*; tracing no"
        + " application method.", problems.get(0));
    assertTrue(problems.get(1).startsWith("MLFLOW_AGENT_TRACE_METADATA=\"env=prod,"
        + "mlflow.trace.user=alice\" is not valid: expected comma-separated key=value pairs"),
        problems.get(1));
    assertTrue(problems.get(2).startsWith("MLFLOW_AGENT_USER_HEADER=\"Authorization\" is not"
        + " valid: expected the name of a request header, not one that carries credentials"),
        problems.get(2));
    assertTrue(problems.get(3).startsWith("MLFLOW_AGENT_SESSION_HEADER=\"X Session\""),
        problems.get(3));
  }
}
