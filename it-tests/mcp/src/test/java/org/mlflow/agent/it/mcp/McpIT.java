package org.mlflow.agent.it.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mlflow.agent.it.support.TraceFiles.attribute;
import static org.mlflow.agent.it.support.TraceFiles.parseJson;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.it.support.ForkedApp;
import org.mlflow.agent.it.support.ForkedApp.Result;
import org.mlflow.agent.it.support.TraceFiles;

/**
 * An MCP client app, unchanged, with the agent attached, calling tools of a real MCP server (its
 * own process, over stdio): each tool call is one trace of one TOOL span named after the tool,
 * whether made through the synchronous client (which blocks on the asynchronous one) or the
 * asynchronous one, on the calling thread or another.
 */
class McpIT {

  private static Result run;
  private static List<JsonNode> spans;

  @BeforeAll
  static void runTheApp() throws Exception {
    run = ForkedApp.of(McpApp.class).run().assertCleanRun();
    spans = new ArrayList<>();
    for (JsonNode trace : TraceFiles.read(run.workingDir().resolve("mlflow-traces"))) {
      assertEquals(1, trace.at("/data/spans").size(), () -> "one span per tool call: " + trace);
      spans.add(trace.at("/data/spans/0"));
    }
  }

  @Test
  void eachToolCallIsOneToolSpanNamedAfterTheTool() {
    List<String> names = new ArrayList<>();
    spans.forEach(span -> names.add(span.get("name").asText()));
    assertEquals(List.of("add", "lookup_city", "no_such_tool", "add", "add"), names,
        run.stderr());
    spans.forEach(span -> assertEquals("TOOL", attribute(span, "mlflow.spanType").asText()));
  }

  @Test
  void aToolCallHasTheArgumentsAsInputsAndTheResultTextAsOutputs() {
    JsonNode sync = spans.get(0);
    assertEquals("STATUS_CODE_OK", sync.at("/status/code").asText());
    assertEquals(parseJson("{\"a\":2,\"b\":3}"), attribute(sync, "mlflow.spanInputs"));
    assertEquals("5", attribute(sync, "mlflow.spanOutputs").asText());

    JsonNode async = spans.get(3);
    assertEquals(parseJson("{\"a\":20,\"b\":22}"), attribute(async, "mlflow.spanInputs"));
    assertEquals("42", attribute(async, "mlflow.spanOutputs").asText());

    JsonNode subscribedElsewhere = spans.get(4);
    assertEquals("STATUS_CODE_OK", subscribedElsewhere.at("/status/code").asText());
    assertEquals("2", attribute(subscribedElsewhere, "mlflow.spanOutputs").asText());
  }

  @Test
  void aResultTheServerFlagsAsAnErrorIsAnErrorSpanWithItsText() {
    JsonNode failed = spans.get(1);
    assertEquals("STATUS_CODE_ERROR", failed.at("/status/code").asText());
    assertEquals("the MCP tool reported an error: unknown city: Atlantis",
        failed.at("/status/message").asText());
    assertEquals("unknown city: Atlantis", attribute(failed, "mlflow.spanOutputs").asText());
    assertEquals(0, failed.path("events").size(), "nothing was thrown");
  }

  @Test
  void aCallThatThrowsIsAnErrorSpanWithTheExceptionTheAppGot() {
    JsonNode unknown = spans.get(2);
    assertEquals("STATUS_CODE_ERROR", unknown.at("/status/code").asText());
    JsonNode exception = unknown.at("/events/0/attributes");
    assertEquals("io.modelcontextprotocol.spec.McpError",
        exception.get("exception.type").asText());
    assertTrue(run.stdout().contains("no_such_tool: io.modelcontextprotocol.spec.McpError"),
        run.stdout());
  }

  @Test
  void theAppPrintsExactlyWhatItPrintsWithoutTheAgent() throws Exception {
    Result without = ForkedApp.of(McpApp.class).withoutAgent().run().assertCleanRun();
    assertEquals(without.stdout(), run.stdout());
    assertTrue(run.stdout().contains("async add: 42"), run.stdout());
  }
}
