package org.mlflow.agent.it.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mlflow.agent.it.support.TraceFiles.parseJson;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.it.mlflow.MlflowServer;
import org.mlflow.agent.it.mlflow.MlflowServer.Backend;
import org.mlflow.agent.it.support.ForkedApp;
import org.mlflow.agent.it.support.ForkedApp.Result;

/**
 * The Anthropic traces sent to a real MLflow tracking server and read back with MLflow's own
 * Python client: what the MLflow UI shows (chat format, token usage with cache counts, the
 * streamed events, the error).
 */
class RealMlflowServerIT {

  /** Reads traces with the Python client, printing one JSON line per trace id given. */
  private static final String READ_WITH_PYTHON = String.join("\n",
      "import json, sys, mlflow",
      "for trace_id in sys.argv[1:]:",
      "    t = mlflow.get_trace(trace_id)",
      "    s = t.data.spans[0]",
      "    outputs = s.outputs or {}",
      "    print(json.dumps({'state': str(t.info.state), 'spans': len(t.data.spans),",
      "        'name': s.name, 'type': s.span_type,",
      "        'format': s.get_attribute('mlflow.message.format'),",
      "        'provider': s.get_attribute('mlflow.llm.provider'),",
      "        'model': s.get_attribute('mlflow.llm.model'),",
      "        'span_usage': s.get_attribute('mlflow.chat.tokenUsage'),",
      "        'usage': t.info.token_usage,",
      "        'tools': s.get_attribute('mlflow.chat.tools'),",
      "        'request_preview': t.info.request_preview,",
      "        'question': (s.inputs or {}).get('messages', [{}])[-1].get('content'),",
      "        'answer': ((outputs.get('content') or [{}])[0]).get('text'),",
      "        'tool_input': ((outputs.get('content') or [{}, {}])[-1]).get('input'),",
      "        'chunks': len([e for e in s.events if e.name.startswith('mlflow.chunk.item.')]),",
      "        'exception': [e.attributes.get('exception.type') for e in s.events",
      "                      if e.name == 'exception'],",
      "        'status': str(s.status.status_code).split('.')[-1]}))");

  private static final String USAGE = "{\"input_tokens\":1225,\"output_tokens\":40,"
      + "\"total_tokens\":1265,\"cache_read_input_tokens\":1000,"
      + "\"cache_creation_input_tokens\":200}";

  @Test
  void anthropicTracesLoadInTheMlflowClientWithTheirFormatAndTokenUsage() throws Exception {
    try (AnthropicFake anthropic = new AnthropicFake();
        MlflowServer mlflow = MlflowServer.start(Backend.SQLITE)) {
      String experimentId = mlflow.createExperiment("agent-anthropic");
      Result run = ForkedApp.of(AnthropicApp.class)
          .args(anthropic.baseUrl(), "create", "stream", "create-unauthorized")
          .env("MLFLOW_TRACKING_URI", mlflow.trackingUri())
          .env("MLFLOW_EXPERIMENT_ID", experimentId)
          // A fresh server takes a few seconds over its first OTLP export; the 5 s default exit
          // flush would leave this short app's traces in the spool for a later run.
          .env("MLFLOW_AGENT_FLUSH_TIMEOUT_SECONDS", "60")
          .run().assertCleanRun();
      assertTrue(run.agentLines().stream().anyMatch(line -> line.contains("3 trace(s) sent to")),
          run.stderr());

      List<String> ids = new ArrayList<>(mlflow.searchTraceIds(experimentId));
      ids.sort((a, b) -> mlflow.traceInfo(a).get("request_time").asText()
          .compareTo(mlflow.traceInfo(b).get("request_time").asText()));
      List<JsonNode> traces = new ArrayList<>();
      for (String line : mlflow.python(READ_WITH_PYTHON, ids.toArray(new String[0]))
          .strip().split("\\R")) {
        traces.add(parseJson(line));
      }

      assertEquals(3, traces.size());
      for (JsonNode answered : traces.subList(0, 2)) {
        assertEquals("OK", answered.get("state").asText());
        assertEquals(1, answered.get("spans").asInt());
        assertEquals("Messages.create", answered.get("name").asText());
        assertEquals("CHAT_MODEL", answered.get("type").asText());
        assertEquals("anthropic", answered.get("format").asText());
        assertEquals("anthropic", answered.get("provider").asText());
        assertEquals(AnthropicFake.SERVED_MODEL, answered.get("model").asText());
        assertEquals(parseJson(USAGE), answered.get("span_usage"));
        assertEquals(parseJson(USAGE), answered.get("usage"), "the trace's usage");
        assertEquals("get_weather", answered.at("/tools/0/function/name").asText());
        assertEquals(AnthropicApp.QUESTION, answered.get("request_preview").asText());
        assertEquals(AnthropicApp.QUESTION, answered.get("question").asText());
        assertEquals(AnthropicFake.ANSWER, answered.get("answer").asText());
        assertEquals(parseJson("{\"city\":\"Paris\"}"), answered.get("tool_input"));
        assertEquals("OK", answered.get("status").asText());
      }
      assertEquals(0, traces.get(0).get("chunks").asInt());
      assertEquals(AnthropicFake.STREAM_ITEMS, traces.get(1).get("chunks").asInt());

      JsonNode refused = traces.get(2);
      assertEquals("ERROR", refused.get("state").asText());
      assertEquals("ERROR", refused.get("status").asText());
      assertEquals("com.anthropic.errors.UnauthorizedException",
          refused.at("/exception/0").asText());
    }
  }
}
