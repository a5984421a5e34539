package org.mlflow.agent.it.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mlflow.agent.it.support.TraceFiles.parseJson;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mlflow.agent.it.mlflow.MlflowExperiment;
import org.mlflow.agent.it.mlflow.SqliteMlflowServer;

/**
 * The RAG assistant's trace sent to a real MLflow tracking server and read back with MLflow's
 * Python client: the tree, the retrieved documents as MLflow {@code Document}s, the tool call and
 * the token usage, as the MLflow UI shows them.
 */
class RealMlflowServerIT {

  /** One JSON line for the trace whose root is an AGENT span. */
  private static final String READ_WITH_PYTHON = String.join("\n",
      "import json, sys, mlflow",
      "from mlflow.entities import Document, SpanType",
      "for trace_id in sys.argv[1:]:",
      "    t = mlflow.get_trace(trace_id)",
      "    root = t.data.spans[0]",
      "    if root.span_type != SpanType.AGENT:",
      "        continue",
      "    by_id = {s.span_id: s for s in t.data.spans}",
      "    retriever = [s for s in t.data.spans if s.name == 'EmbeddingStoreContentRetriever'][0]",
      "    tool = [s for s in t.data.spans if s.span_type == SpanType.TOOL][0]",
      "    docs = [Document(**d) for d in retriever.outputs]",
      "    print(json.dumps({'name': root.name, 'state': str(t.info.state),",
      "        'tree': sorted(s.name + ' <- ' + (by_id[s.parent_id].name if s.parent_id else '')",
      "                       for s in t.data.spans),",
      "        'documents': [[d.page_content, d.metadata.get('doc_uri'), d.metadata.get('chunk_id')]",
      "                      for d in docs],",
      "        'tool': [tool.name, tool.inputs, tool.outputs],",
      "        'chat_format': [s.get_attribute('mlflow.message.format') for s in t.data.spans",
      "                        if s.span_type == SpanType.CHAT_MODEL],",
      "        'output_tokens': t.info.token_usage['output_tokens']}))");

  @RegisterExtension
  static final SqliteMlflowServer mlflow = new SqliteMlflowServer();

  private static ChatFake chat;

  @BeforeAll
  static void start() {
    chat = new ChatFake();
  }

  @AfterAll
  static void stop() {
    chat.close();
  }

  @Test
  void theRetrievedDocumentsAndTheTreeLoadInMlflowsPythonClient() throws Exception {
    MlflowExperiment experiment = mlflow.createExperiment("langchain4j-rag");
    experiment.app(RagAssistantApp.class).args(chat.baseUrl()).run().assertCleanRun();
    List<String> traceIds = experiment.traceIds();
    assertEquals(2, traceIds.size(), "the indexing trace and the question's: " + traceIds);

    JsonNode read = experiment.python(READ_WITH_PYTHON, traceIds).get(0);
    assertEquals("HrAssistant.answer", read.get("name").asText());
    assertEquals("OK", read.get("state").asText());
    assertEquals(parseJson("[\"AllMiniLmL6V2QuantizedEmbeddingModel <- "
        + "EmbeddingStoreContentRetriever\",\"EmbeddingStoreContentRetriever <- "
        + "HrAssistant.answer\",\"HrAssistant.answer <- \",\"InMemoryEmbeddingStore <- "
        + "EmbeddingStoreContentRetriever\",\"OpenAiChatModel <- HrAssistant.answer\","
        + "\"OpenAiChatModel <- HrAssistant.answer\",\"daysOfLeaveLeft <- HrAssistant.answer\"]"),
        read.get("tree"));
    assertEquals(parseJson("[[\"" + RagAssistantApp.HANDBOOK.get(0) + "\",\"handbook.md\",\"0\"],"
        + "[\"" + RagAssistantApp.HANDBOOK.get(1) + "\",\"handbook.md\",\"1\"]]"),
        read.get("documents"));
    assertEquals(parseJson("[\"daysOfLeaveLeft\"," + ChatFake.TOOL_ARGUMENTS + ",\"12\"]"),
        read.get("tool"));
    assertEquals(parseJson("[\"openai\",\"openai\"]"), read.get("chat_format"));
    assertEquals(30, read.get("output_tokens").asInt());
  }
}
