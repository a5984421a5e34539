package org.mlflow.agent.it.springai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mlflow.agent.it.support.TraceFiles.parseJson;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mlflow.agent.it.mlflow.MlflowExperiment;
import org.mlflow.agent.it.mlflow.SqliteMlflowServer;

/**
 * The Spring AI app's traces sent to a real MLflow tracking server and read back with MLflow's
 * own Python client: the span trees as MLflow sees them, the retriever's documents as MLflow's
 * {@code Document}s, and each trace's token usage counted once.
 */
class RealMlflowServerIT {

  /** One JSON line per trace: its name, usage, span tree and its retrieved documents. */
  private static final String READ_WITH_PYTHON = String.join("\n",
      "import json, sys, mlflow",
      "from mlflow.entities import Document, SpanType",
      "for trace_id in sys.argv[1:]:",
      "    t = mlflow.get_trace(trace_id)",
      "    names = {s.span_id: s.name for s in t.data.spans}",
      "    docs = []",
      "    for s in t.data.spans:",
      "        if s.span_type == SpanType.RETRIEVER:",
      "            for d in (Document(**d) for d in s.outputs):",
      "                docs.append({'id': d.id, 'page_content': d.page_content,",
      "                    'doc_uri': d.metadata.get('doc_uri'), 'score': d.metadata.get('score')})",
      "    print(json.dumps({'name': t.info.tags.get('mlflow.traceName'),",
      "        'state': str(t.info.state), 'usage': t.info.token_usage,",
      "        'spans': [[s.name, s.span_type, names.get(s.parent_id)] for s in t.data.spans],",
      "        'documents': docs}))");

  @RegisterExtension
  static final SqliteMlflowServer mlflow = new SqliteMlflowServer();

  private static SpringAiFake fake;

  @BeforeAll
  static void start() {
    fake = new SpringAiFake();
  }

  @AfterAll
  static void stop() {
    fake.close();
  }

  @Test
  void theTreesTheDocumentsAndTheUsageReadBackThroughMlflowsPythonClient() throws Exception {
    MlflowExperiment experiment = mlflow.createExperiment("spring-ai");
    experiment.app(SpringAiApp.class).args(fake.baseUrl()).run().assertCleanRun();
    List<String> traceIds = experiment.traceIds();
    assertEquals(13, traceIds.size(), "every call the app made");

    Map<String, JsonNode> byName = new HashMap<>();
    for (JsonNode trace : experiment.python(READ_WITH_PYTHON, traceIds)) {
      // Of the traces of one name, the largest: the ChatClient call that ran the tool.
      byName.merge(trace.get("name").asText(), trace,
          (one, other) -> one.get("spans").size() >= other.get("spans").size() ? one : other);
    }

    JsonNode retrieval = byName.get("VectorStore.similaritySearch");
    JsonNode best = retrieval.at("/documents/0");
    assertEquals("doc-tracing", best.get("id").asText());
    assertEquals(SpringAiFake.TRACING_DOCUMENT, best.get("page_content").asText());
    assertEquals("https://mlflow.org/docs/latest/tracing", best.get("doc_uri").asText());
    assertTrue(best.get("score").asDouble() > 0.99, best.toString());
    assertEquals("doc-spring", retrieval.at("/documents/1/id").asText());
    assertSpans(retrieval, "[\"VectorStore.similaritySearch\",\"RETRIEVER\",null]",
        "[\"EmbeddingModel.call\",\"EMBEDDING\",\"VectorStore.similaritySearch\"]");

    JsonNode withTool = byName.get("ChatClient.call");
    assertEquals("OK", withTool.get("state").asText());
    assertEquals(parseJson("{\"input_tokens\":75,\"output_tokens\":18,\"total_tokens\":93}"),
        withTool.get("usage"), "each model call once, though Spring AI's and openai-java's spans"
            + " both carry it");
    assertSpans(withTool, "[\"ChatClient.call\",\"CHAIN\",null]",
        "[\"ChatModel.call\",\"CHAT_MODEL\",\"ChatClient.call\"]",
        // Spring AI 2.0 runs the tool from ChatClient, 1.1 from inside the model call
        System.getProperty("spring-ai.version", "2").startsWith("1.")
            ? "[\"get_weather\",\"TOOL\",\"ChatModel.call\"]"
            : "[\"get_weather\",\"TOOL\",\"ChatClient.call\"]");
  }

  /** The trace has these {@code [name, type, parent name]} spans (among the nested ones). */
  private static void assertSpans(JsonNode trace, String... spans) {
    List<JsonNode> found = new java.util.ArrayList<>();
    trace.get("spans").forEach(found::add);
    for (String span : spans) {
      assertTrue(found.contains(parseJson(span)), span + " in " + trace.get("spans"));
    }
  }
}
