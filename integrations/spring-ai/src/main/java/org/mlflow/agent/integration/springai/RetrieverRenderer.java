package org.mlflow.agent.integration.springai;

import static org.mlflow.agent.integration.springai.SpringAiObjects.call;
import static org.mlflow.agent.integration.springai.SpringAiObjects.string;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.integration.ContentRenderer;
import org.mlflow.agent.integration.SpanContent;

/**
 * {@code VectorStore.similaritySearch(SearchRequest)}: inputs the query, outputs the documents
 * found in MLflow's retriever shape, {@code {"page_content", "metadata": {..., "doc_uri",
 * "score"}, "id"}},
 * which MLflow's UI shows as documents.
 */
final class RetrieverRenderer implements ContentRenderer {

  @Override
  public void render(Span span, SpanContent content) throws Exception {
    content.inputs(string(span.request(), "getQuery"));
    if (!(span.response() instanceof List)) {
      return;
    }
    List<Object> documents = new ArrayList<>();
    for (Object document : (List<?>) span.response()) {
      Map<String, Object> metadata = new LinkedHashMap<>();
      Object own = call(document, "getMetadata");
      if (own instanceof Map) {
        ((Map<?, ?>) own).forEach((key, value) -> metadata.put(String.valueOf(key), value));
      }
      // MLflow's UI links a document by "doc_uri"; Spring AI's readers name it "source".
      if (!metadata.containsKey("doc_uri") && metadata.get("source") instanceof String) {
        metadata.put("doc_uri", metadata.get("source"));
      }
      Object score = call(document, "getScore");
      if (score != null) {
        metadata.put("score", score);
      }
      Map<String, Object> mlflowDocument = new LinkedHashMap<>();
      mlflowDocument.put("page_content", string(document, "getText"));
      mlflowDocument.put("metadata", metadata);
      mlflowDocument.put("id", string(document, "getId"));
      documents.add(mlflowDocument);
    }
    content.outputs(documents);
  }
}
