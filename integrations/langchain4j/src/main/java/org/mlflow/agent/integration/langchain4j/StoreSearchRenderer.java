package org.mlflow.agent.integration.langchain4j;

import static org.mlflow.agent.integration.langchain4j.Accessors.get;
import static org.mlflow.agent.integration.langchain4j.Accessors.list;
import static org.mlflow.agent.integration.langchain4j.Accessors.string;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.integration.ContentRenderer;
import org.mlflow.agent.integration.SpanContent;

/**
 * An embedding store search, named after the store class ({@code InMemoryEmbeddingStore}): the
 * query text when the request carries one, else the search's settings (the query is a vector);
 * outputs the matches as MLflow documents, with their scores and embedding ids.
 */
final class StoreSearchRenderer implements ContentRenderer {

  @Override
  public void render(Span span, SpanContent content) throws Exception {
    Object[] call = (Object[]) span.request();
    Object request = call[0];
    content.spanName(call[1].getClass().getSimpleName());
    String query = string(request, "query");
    if (query != null) {
      content.inputs(query);
    } else {
      Map<String, Object> inputs = new LinkedHashMap<>();
      Object vector = get(get(request, "queryEmbedding"), "dimension");
      inputs.put("query_embedding_dimensions", vector);
      inputs.put("max_results", get(request, "maxResults"));
      inputs.put("min_score", get(request, "minScore"));
      Object filter = get(request, "filter");
      if (filter != null) {
        inputs.put("filter", filter.toString());
      }
      content.inputs(inputs);
    }
    Object result = span.response();
    if (result == null) {
      return;
    }
    List<Object> documents = new ArrayList<>();
    for (Object match : list(result, "matches")) {
      documents.add(Documents.of(get(match, "embedded"), get(match, "score"),
          get(match, "embeddingId")));
    }
    content.outputs(documents);
  }
}
