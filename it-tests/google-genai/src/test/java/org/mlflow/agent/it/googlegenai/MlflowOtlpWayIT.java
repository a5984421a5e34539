package org.mlflow.agent.it.googlegenai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mlflow.agent.it.support.TraceFiles.parseJson;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.it.mlflow.MlflowServer;
import org.mlflow.agent.it.mlflow.MlflowServer.Backend;
import org.mlflow.agent.it.support.ForkedApp;
import org.mlflow.agent.it.support.ForkedApp.Result;

/**
 * The two ways into a real MLflow server: a SQL-backed server takes the spans over OTLP
 * ({@code /v1/traces}) and then the trace info (StartTraceV3); a file-store server answers the
 * OTLP export with 501, and the agent sends the same traces through the REST API instead. The
 * MLflow Python client reads the same traces back from both.
 */
class MlflowOtlpWayIT {

  /** One JSON line per trace id: what the MLflow UI shows of the trace and of each span. */
  private static final String READ_WITH_PYTHON = String.join("\n",
      "import json, sys, mlflow",
      "for trace_id in sys.argv[1:]:",
      "    t = mlflow.get_trace(trace_id)",
      "    by_id = {s.span_id: s for s in t.data.spans}",
      "    print(json.dumps({'state': str(t.info.state), 'usage': t.info.token_usage,",
      "        'trace_name': t.info.tags.get('mlflow.traceName'),",
      "        'request_preview': t.info.request_preview,",
      "        'response_preview': t.info.response_preview,",
      "        'duration_ms': t.info.execution_duration,",
      "        'schema': t.info.trace_metadata.get('mlflow.trace_schema.version'),",
      "        'source': t.info.trace_metadata.get('mlflow.source.name'),",
      "        'spans_location': t.info.tags.get('mlflow.trace.spansLocation'),",
      "        'spans': [{'name': s.name, 'type': s.span_type,",
      "            'parent': by_id[s.parent_id].name if s.parent_id else None,",
      "            'inputs': s.inputs, 'outputs': s.outputs,",
      "            'format': s.get_attribute('mlflow.message.format'),",
      "            'model': s.get_attribute('mlflow.llm.model'),",
      "            'usage': s.get_attribute('mlflow.chat.tokenUsage'),",
      "            'tools': s.get_attribute('mlflow.chat.tools'),",
      "            'status': str(s.status.status_code).split('.')[-1],",
      "            'events': [[e.name, e.attributes] for e in s.events]}",
      "            for s in sorted(t.data.spans, key=lambda s: s.start_time_ns)]}, sort_keys=True))");

  private static GeminiFake gemini;
  private static MlflowServer sqlite;
  private static MlflowServer fileStore;

  @BeforeAll
  static void start() throws Exception {
    gemini = new GeminiFake();
    sqlite = MlflowServer.start(Backend.SQLITE);
    fileStore = MlflowServer.start(Backend.FILE_STORE);
  }

  @AfterAll
  static void stop() {
    for (MlflowServer server : new MlflowServer[] {sqlite, fileStore}) {
      if (server != null) {
        server.close();
      }
    }
    gemini.close();
  }

  /** Runs the chat app (answers, a stream, a refusal) and the tool loop against a server. */
  private static List<Result> runApps(MlflowServer server, String experimentId) throws Exception {
    List<Result> runs = new ArrayList<>();
    for (Class<?> app : List.of(GeminiChatApp.class, GeminiToolLoopApp.class)) {
      runs.add(ForkedApp.of(app).args(gemini.baseUrl())
          .env("MLFLOW_TRACKING_URI", server.trackingUri())
          .env("MLFLOW_EXPERIMENT_ID", experimentId)
          // Exit waits only until the traces are sent; on a loaded machine that can take longer
          // than the 5 s default, and the comparison below needs every trace on both servers.
          .env("MLFLOW_AGENT_FLUSH_TIMEOUT_SECONDS", "60")
          .run().assertCleanRun());
    }
    return runs;
  }

  /** The traces of an experiment in the order the apps made them, read by the Python client. */
  private static List<JsonNode> readTraces(MlflowServer server, String experimentId)
      throws Exception {
    List<String> ids = new ArrayList<>(server.searchTraceIds(experimentId));
    ids.sort((a, b) -> server.traceInfo(a).get("request_time").asText()
        .compareTo(server.traceInfo(b).get("request_time").asText()));
    List<JsonNode> traces = new ArrayList<>();
    for (String line : server.python(READ_WITH_PYTHON, ids.toArray(new String[0])).strip()
        .split("\\R")) {
      traces.add(parseJson(line));
    }
    return traces;
  }

  /** A trace without what differs by server, not by way: spans location and the duration. */
  private static JsonNode comparable(JsonNode trace) {
    com.fasterxml.jackson.databind.node.ObjectNode copy = trace.deepCopy();
    copy.remove("spans_location");
    copy.remove("duration_ms");
    return copy;
  }

  @Test
  void aSqlServerTakesSpansOverOtlpAndAFileStoreTheSameTracesThroughRest() throws Exception {
    String sqlExperiment = sqlite.createExperiment("otlp-way");
    List<Result> sqlRuns = runApps(sqlite, sqlExperiment);
    String fileExperiment = fileStore.createExperiment("rest-way");
    List<Result> fileRuns = runApps(fileStore, fileExperiment);

    List<JsonNode> overOtlp = readTraces(sqlite, sqlExperiment);
    List<JsonNode> overRest = readTraces(fileStore, fileExperiment);
    assertEquals(6, overOtlp.size(), sqlRuns.get(0).stderr() + sqlRuns.get(1).stderr());
    assertEquals(6, overRest.size(), fileRuns.get(0).stderr() + fileRuns.get(1).stderr());

    // The way each took: only spans logged over OTLP are kept in the tracking store.
    overOtlp.forEach(trace -> assertEquals("TRACKING_STORE", trace.get("spans_location").asText()));
    overRest.forEach(trace -> assertTrue(trace.get("spans_location").isNull(), trace.toString()));
    assertTrue(fileRuns.get(0).agentLines().stream().anyMatch(line ->
        line.contains("does not take spans over OTLP (OTLP span export answered HTTP 501")),
        fileRuns.get(0).stderr());

    for (int i = 0; i < overOtlp.size(); i++) {
      assertEquals(comparable(overRest.get(i)), comparable(overOtlp.get(i)),
          "trace " + i + " reads the same whichever way it came");
    }

    JsonNode answered = overOtlp.get(0);
    assertEquals("OK", answered.get("state").asText());
    assertEquals("Models.generateContent", answered.get("trace_name").asText());
    assertTrue(answered.get("request_preview").asText().contains("What is MLflow?"),
        answered.toString());
    assertTrue(answered.get("response_preview").asText().contains(GeminiFake.ANSWER),
        answered.toString());
    assertEquals("3", answered.get("schema").asText());
    assertFalse(answered.get("source").isNull(), "the agent's own trace metadata");
    assertEquals(parseJson("{\"input_tokens\":9,\"output_tokens\":12,\"total_tokens\":21,"
        + "\"cache_read_input_tokens\":4}"), answered.get("usage"));
    JsonNode chat = answered.at("/spans/0");
    assertEquals("CHAT_MODEL", chat.get("type").asText());
    assertEquals("gemini", chat.get("format").asText());
    assertEquals("What is MLflow?", chat.at("/inputs/contents/0/parts/0/text").asText());
    assertEquals(GeminiFake.ANSWER, chat.at("/outputs/candidates/0/content/parts/0/text").asText());

    JsonNode refused = overOtlp.get(3);
    assertEquals("ERROR", refused.get("state").asText());
    assertEquals("ERROR", refused.at("/spans/0/status").asText());
    assertEquals("exception", refused.at("/spans/0/events/0/0").asText());

    JsonNode toolLoop = overOtlp.get(5);
    assertEquals(parseJson("{\"input_tokens\":75,\"output_tokens\":12,\"total_tokens\":87}"),
        toolLoop.get("usage"));
    List<String> tree = new ArrayList<>();
    toolLoop.get("spans").forEach(s -> tree.add(s.get("name").asText() + " "
        + s.get("type").asText() + " under " + s.get("parent").asText()));
    assertEquals(List.of(
        "Models.generateContent CHAIN under null",
        "Models.privateGenerateContent CHAT_MODEL under Models.generateContent",
        "Models.privateGenerateContent CHAT_MODEL under Models.generateContent"), tree);
    assertEquals("weather", toolLoop.at("/spans/1/tools/0/function/name").asText());
  }
}
