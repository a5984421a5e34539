package org.mlflow.agent.it.googlegenai;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

/** Gemini traces sent to a real MLflow server load in MLflow's Python client as Gemini chats. */
class GeminiMlflowServerIT {

  /** One JSON line per trace id: its state, usage and spans as the Python client reads them. */
  private static final String READ_WITH_PYTHON = String.join("\n",
      "import json, sys, mlflow",
      "for trace_id in sys.argv[1:]:",
      "    t = mlflow.get_trace(trace_id)",
      "    by_id = {s.span_id: s for s in t.data.spans}",
      "    print(json.dumps({'state': str(t.info.state), 'usage': t.info.token_usage,",
      "        'trace_name': t.info.tags.get('mlflow.traceName'),",
      "        'spans': [{'name': s.name, 'type': s.span_type,",
      "            'parent': by_id[s.parent_id].name if s.parent_id else None,",
      "            'format': s.get_attribute('mlflow.message.format'),",
      "            'provider': s.get_attribute('mlflow.llm.provider'),",
      "            'model': s.get_attribute('mlflow.llm.model'),",
      "            'usage': s.get_attribute('mlflow.chat.tokenUsage'),",
      "            'tools': [tool['function']['name']",
      "                      for tool in s.get_attribute('mlflow.chat.tools') or []],",
      "            'question': s.inputs['contents'][0]['parts'][0]['text'],",
      "            'answer': (s.outputs or {}).get('candidates', [{}])[0]",
      "                .get('content', {}).get('parts', [{}])[-1].get('text'),",
      "            'status': str(s.status.status_code).split('.')[-1],",
      "            'events': [e.name for e in s.events]}",
      "            for s in sorted(t.data.spans, key=lambda s: s.start_time_ns)]}))");

  private static GeminiFake gemini;
  private static MlflowServer server;

  @BeforeAll
  static void start() throws Exception {
    gemini = new GeminiFake();
    server = MlflowServer.start(Backend.SQLITE);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    gemini.close();
  }

  @Test
  void geminiTracesLoadInThePythonClientWithTheirTreeFormatAndUsage() throws Exception {
    String experimentId = server.createExperiment("gemini");
    for (Class<?> app : List.of(GeminiChatApp.class, GeminiToolLoopApp.class)) {
      ForkedApp.of(app).args(gemini.baseUrl())
          .env("MLFLOW_TRACKING_URI", server.trackingUri())
          .env("MLFLOW_EXPERIMENT_ID", experimentId)
          // A fresh server takes a few seconds over its first OTLP export; the 5 s default exit
          // flush would leave this short app's traces in the spool for a later run.
          .env("MLFLOW_AGENT_FLUSH_TIMEOUT_SECONDS", "60")
          .run().assertCleanRun();
    }
    List<String> ids = new ArrayList<>(server.searchTraceIds(experimentId));
    ids.sort((a, b) -> server.traceInfo(a).get("request_time").asText()
        .compareTo(server.traceInfo(b).get("request_time").asText()));
    assertEquals(6, ids.size());
    List<JsonNode> traces = new ArrayList<>();
    for (String line : server.python(READ_WITH_PYTHON, ids.toArray(new String[0])).strip()
        .split("\\R")) {
      traces.add(parseJson(line));
    }

    JsonNode answered = traces.get(0);
    assertEquals("OK", answered.get("state").asText());
    assertEquals("Models.generateContent", answered.get("trace_name").asText());
    assertEquals(parseJson("{\"input_tokens\":9,\"output_tokens\":12,\"total_tokens\":21,"
        + "\"cache_read_input_tokens\":4}"), answered.get("usage"));
    JsonNode span = answered.at("/spans/0");
    assertEquals(1, answered.get("spans").size());
    assertEquals("CHAT_MODEL", span.get("type").asText());
    assertEquals("gemini", span.get("format").asText());
    assertEquals("google", span.get("provider").asText());
    assertEquals(GeminiFake.SERVED_MODEL, span.get("model").asText());
    assertEquals("What is MLflow?", span.get("question").asText());
    assertEquals(GeminiFake.ANSWER, span.get("answer").asText());
    assertEquals(4, span.at("/usage/cache_read_input_tokens").asInt());

    JsonNode refused = traces.get(3);
    assertEquals("ERROR", refused.get("state").asText());
    assertEquals("ERROR", refused.at("/spans/0/status").asText());
    assertEquals("exception", refused.at("/spans/0/events/0").asText());

    JsonNode toolLoop = traces.get(5);
    assertEquals(parseJson("{\"input_tokens\":75,\"output_tokens\":12,\"total_tokens\":87}"),
        toolLoop.get("usage"));
    List<String> tree = new ArrayList<>();
    toolLoop.get("spans").forEach(s -> tree.add(s.get("name").asText() + " "
        + s.get("type").asText() + " under " + s.get("parent").asText() + " "
        + s.get("format").asText() + " " + s.get("tools")));
    assertEquals(List.of(
        "Models.generateContent CHAIN under null gemini [\"weather\"]",
        "Models.privateGenerateContent CHAT_MODEL under Models.generateContent gemini"
            + " [\"weather\"]",
        "Models.privateGenerateContent CHAT_MODEL under Models.generateContent gemini"
            + " [\"weather\"]"),
        tree);
    assertEquals(GeminiFake.TOOL_ANSWER, toolLoop.at("/spans/0/answer").asText());
    assertTrue(toolLoop.at("/spans/0/usage").isNull(), "usage only on the model calls");
  }
}
