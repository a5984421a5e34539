package org.mlflow.agent.integration.springai;

import static org.mlflow.agent.integration.springai.SpringAiObjects.call;
import static org.mlflow.agent.integration.springai.SpringAiObjects.string;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.integration.ContentRenderer;
import org.mlflow.agent.integration.SpanContent;
import org.mlflow.agent.integration.TokenUsage;

/**
 * {@code EmbeddingModel.call(EmbeddingRequest)}: inputs the texts and the model asked for; outputs
 * each embedding's index and dimension count (thousands of floats say nothing a person reads).
 */
final class EmbeddingRenderer implements ContentRenderer {

  @Override
  public void render(Span span, SpanContent content) throws Exception {
    Object request = ((Object[]) span.request())[0];
    Map<String, Object> inputs = new LinkedHashMap<>();
    String requestedModel = string(call(request, "getOptions"), "getModel");
    if (requestedModel != null) {
      inputs.put("model", requestedModel);
      content.model(requestedModel);
    }
    Object texts = call(request, "getInstructions");
    inputs.put("input", texts instanceof List ? new ArrayList<>((List<?>) texts) : texts);
    content.inputs(inputs);
    Object response = span.response();
    if (response == null) {
      return;
    }
    List<Object> data = new ArrayList<>();
    Object results = call(response, "getResults");
    if (results instanceof List) {
      for (Object embedding : (List<?>) results) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("index", call(embedding, "getIndex"));
        Object vector = call(embedding, "getOutput");
        summary.put("embedding_dimensions",
            vector != null && vector.getClass().isArray() ? Array.getLength(vector) : null);
        data.add(summary);
      }
    }
    Object metadata = call(response, "getMetadata");
    Map<String, Object> outputs = new LinkedHashMap<>();
    String servedModel = string(metadata, "getModel");
    if (servedModel != null && !servedModel.isEmpty()) {
      outputs.put("model", servedModel);
      content.model(servedModel);
    }
    outputs.put("data", data);
    content.outputs(outputs);
    Object usage = call(metadata, "getUsage");
    Object promptTokens = call(usage, "getPromptTokens");
    if (promptTokens instanceof Number && ((Number) promptTokens).longValue() > 0) {
      Object total = call(usage, "getTotalTokens");
      content.tokenUsage(TokenUsage.of(((Number) promptTokens).longValue(), 0,
          total instanceof Number ? ((Number) total).longValue() : null));
    }
  }
}
