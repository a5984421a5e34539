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
 * An embedding call, named after the model class: inputs the texts embedded; outputs each vector
 * summarised as its dimension count (hundreds of floats per text say nothing a person reads);
 * token usage when the model reports it.
 */
final class EmbeddingRenderer implements ContentRenderer {

  /** What {@code EmbeddingModel.modelName()} answers for a model that does not override it. */
  private static final String UNNAMED = "unknown";

  @Override
  public void render(Span span, SpanContent content) throws Exception {
    Object[] call = (Object[]) span.request();
    Object model = call[1];
    content.spanName(model.getClass().getSimpleName()).inputs(texts(call[0]));
    String modelName = null;
    try {
      modelName = string(model, "modelName");
    } catch (ReflectiveOperationException | RuntimeException unnamed) {
      // a model that cannot say its name
    }
    if (modelName != null && !modelName.equals(UNNAMED)) {
      content.model(modelName);
    }
    Object response = span.response();
    if (response == null) {
      return;
    }
    Object embeddings = get(response, "content"); // Response<Embedding> or Response<List<...>>
    if (embeddings == null) {
      embeddings = get(response, "embeddings"); // EmbeddingResponse
    }
    List<Object> vectors = new ArrayList<>();
    for (Object embedding : embeddings instanceof List ? (List<?>) embeddings
        : List.of(embeddings)) {
      Map<String, Object> vector = new LinkedHashMap<>();
      vector.put("embedding_dimensions", get(embedding, "dimension"));
      vectors.add(vector);
    }
    content.outputs(vectors);
    content.tokenUsage(ChatRenderer.tokenUsage(get(response, "tokenUsage")));
  }

  /** A String, a TextSegment, a list of them, or an EmbeddingRequest's inputs, as texts. */
  private static List<Object> texts(Object input) throws ReflectiveOperationException {
    List<?> items = input instanceof List ? (List<?>) input
        : input instanceof String ? List.of(input)
        : list(input, "inputs").isEmpty() ? List.of(input) : list(input, "inputs");
    List<Object> texts = new ArrayList<>();
    for (Object item : items) {
      String text = item instanceof String ? (String) item : string(item, "text");
      texts.add(text != null ? text : String.valueOf(item));
    }
    return texts;
  }
}
