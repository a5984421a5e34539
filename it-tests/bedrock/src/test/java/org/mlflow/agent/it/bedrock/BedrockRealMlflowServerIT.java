package org.mlflow.agent.it.bedrock;

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
 * The Bedrock app's traces sent to a real MLflow tracking server and read back with MLflow's own
 * Python client, which also reads the chat of each {@code bedrock}-format span with MLflow's own
 * Bedrock Converse converter: what the MLflow UI shows.
 */
class BedrockRealMlflowServerIT {

  /** Prints one JSON line per trace of the experiment, in the order the calls started. */
  private static final String READ_WITH_PYTHON = String.join("\n",
      "import json, sys, mlflow",
      "from mlflow.bedrock.genai_semconv_converter import BedrockConverseConverter",
      "converter = BedrockConverseConverter()",
      "found = mlflow.search_traces(experiment_ids=[sys.argv[1]], return_type='list')",
      "traces = [mlflow.get_trace(t.info.trace_id) for t in found]",
      "traces.sort(key=lambda t: t.data.spans[0].start_time_ns)",
      "for t in traces:",
      "    s = t.data.spans[0]",
      "    chat = s.get_attribute('mlflow.message.format') == 'bedrock'",
      "    print(json.dumps({'state': str(t.info.state), 'name': s.name, 'type': s.span_type,",
      "        'format': s.get_attribute('mlflow.message.format'),",
      "        'model': s.get_attribute('mlflow.llm.model'),",
      "        'provider': s.get_attribute('mlflow.llm.provider'),",
      "        'request_id': s.get_attribute('aws.request_id'),",
      "        'usage': t.info.token_usage,",
      "        'span_usage': s.get_attribute('mlflow.chat.tokenUsage'),",
      "        'tools': s.get_attribute('mlflow.chat.tools'),",
      "        'events': [e.name for e in s.events],",
      "        'messages': converter.convert_inputs(s.inputs) if chat else None,",
      "        'answer': converter.convert_outputs(s.outputs) if chat and s.outputs else None,",
      "        'outputs': None if chat else s.outputs}))");

  @Test
  void everyCallLoadsInTheMlflowClientAndItsChatReadsWithMlflowsBedrockConverter()
      throws Exception {
    try (BedrockFake bedrock = new BedrockFake();
        MlflowServer mlflow = MlflowServer.start(Backend.SQLITE)) {
      String experimentId = mlflow.createExperiment("bedrock");
      Result run = ForkedApp.of(BedrockApp.class).args(bedrock.endpoint())
          .env("MLFLOW_TRACKING_URI", mlflow.trackingUri())
          .env("MLFLOW_EXPERIMENT_ID", experimentId)
          // A fresh server takes a few seconds over its first OTLP export; the 5 s default exit
          // flush would leave this short app's traces in the spool for a later run.
          .env("MLFLOW_AGENT_FLUSH_TIMEOUT_SECONDS", "60")
          .run().assertCleanRun();
      assertTrue(run.agentLines().stream().anyMatch(line -> line.contains("12 trace(s) sent to")),
          run.stderr());

      List<JsonNode> traces = new ArrayList<>();
      for (String line : mlflow.python(READ_WITH_PYTHON, experimentId).strip().split("\\R")) {
        traces.add(parseJson(line));
      }
      assertEquals(12, traces.size());

      JsonNode converse = traces.get(0);
      assertEquals("OK", converse.get("state").asText());
      assertEquals("BedrockRuntime.converse", converse.get("name").asText());
      assertEquals("CHAT_MODEL", converse.get("type").asText());
      assertEquals("bedrock", converse.get("format").asText());
      assertEquals("bedrock", converse.get("provider").asText());
      assertEquals(BedrockApp.MODEL, converse.get("model").asText());
      assertEquals(BedrockFake.CONVERSE_REQUEST_ID, converse.get("request_id").asText());
      assertEquals(9, converse.at("/usage/output_tokens").asInt());
      assertEquals(121, converse.at("/usage/total_tokens").asInt());
      assertEquals(121, converse.at("/span_usage/total_tokens").asInt());
      assertEquals(BedrockApp.TOOL_NAME, converse.at("/tools/0/function/name").asText());
      assertEquals(parseJson("[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\""
          + BedrockApp.QUESTION + "\"}]}]"), converse.get("messages"));
      assertEquals(parseJson("[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\","
          + "\"content\":\"" + BedrockFake.ANSWER + "\"}]}]"), converse.get("answer"));

      JsonNode refused = traces.get(1);
      assertEquals("ERROR", refused.get("state").asText());
      assertEquals(List.of("exception"), names(refused.get("events")));

      JsonNode invoke = traces.get(2);
      assertEquals("BedrockRuntime.invoke_model", invoke.get("name").asText());
      assertEquals("LLM", invoke.get("type").asText());
      assertEquals(parseJson(BedrockFake.INVOKE_JSON), invoke.get("outputs"));
      assertEquals(21, invoke.at("/usage/total_tokens").asInt());

      JsonNode stream = traces.get(6);
      assertEquals("BedrockRuntime.converse_stream", stream.get("name").asText());
      assertEquals("bedrock", stream.get("format").asText());
      assertEquals(List.of("mlflow.chunk.item.0", "mlflow.chunk.item.1", "mlflow.chunk.item.2",
          "mlflow.chunk.item.3", "mlflow.chunk.item.4", "mlflow.chunk.item.5",
          "mlflow.chunk.item.6"), names(stream.get("events")));
      assertEquals(parseJson("[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\","
          + "\"content\":\"Tracing records each call.\"}]}]"), stream.get("answer"));
      assertEquals(21, stream.at("/usage/total_tokens").asInt());
    }
  }

  private static List<String> names(JsonNode array) {
    List<String> names = new ArrayList<>();
    array.forEach(name -> names.add(name.asText()));
    return names;
  }
}
