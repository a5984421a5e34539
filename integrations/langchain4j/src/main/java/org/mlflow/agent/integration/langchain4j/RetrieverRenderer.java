package org.mlflow.agent.integration.langchain4j;

import static org.mlflow.agent.integration.langchain4j.Accessors.get;
import static org.mlflow.agent.integration.langchain4j.Accessors.string;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.integration.ContentRenderer;
import org.mlflow.agent.integration.SpanContent;

/**
 * A content retriever call, named after the retriever class ({@code
 * EmbeddingStoreContentRetriever}): inputs the query text, outputs the contents as MLflow
 * documents, with the score and embedding id LangChain4j puts in each content's metadata.
 */
final class RetrieverRenderer implements ContentRenderer {

  @Override
  public void render(Span span, SpanContent content) throws Exception {
    Object[] call = (Object[]) span.request();
    content.spanName(call[1].getClass().getSimpleName()).inputs(string(call[0], "text"));
    if (!(span.response() instanceof List)) {
      return;
    }
    List<Object> documents = new ArrayList<>();
    for (Object retrieved : (List<?>) span.response()) {
      Object metadata = get(retrieved, "metadata");
      documents.add(Documents.of(get(retrieved, "textSegment"), byName(metadata, "SCORE"),
          byName(metadata, "EMBEDDING_ID")));
    }
    content.outputs(documents);
  }

  /** A {@code ContentMetadata} entry, found by the enum constant's name. */
  private static Object byName(Object metadata, String key) {
    if (!(metadata instanceof Map)) {
      return null;
    }
    for (Map.Entry<?, ?> entry : ((Map<?, ?>) metadata).entrySet()) {
      if (key.equals(Accessors.enumName(entry.getKey()))) {
        return entry.getValue();
      }
    }
    return null;
  }
}
