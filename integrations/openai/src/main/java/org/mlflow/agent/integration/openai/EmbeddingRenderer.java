package org.mlflow.agent.integration.openai;

import static org.mlflow.agent.integration.JdkValues.path;
import static org.mlflow.agent.integration.JdkValues.string;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.integration.ContentRenderer;
import org.mlflow.agent.integration.LibraryJson;
import org.mlflow.agent.integration.SpanContent;

/**
 * An embeddings call: the request body as inputs; as outputs, the response with each vector
 * replaced by its dimension count ({@code "embedding_dimensions"}), since thousands of floats per
 * input say nothing a person reads and would crowd out the rest of the trace.
 */
final class EmbeddingRenderer implements ContentRenderer {

  private final LibraryJson sdkJson;

  EmbeddingRenderer(LibraryJson sdkJson) {
    this.sdkJson = sdkJson;
  }

  @Override
  public void render(Span span, SpanContent content) throws Exception {
    OpenAiCall call = OpenAiCall.of(span);
    Object request = call.requestBody(sdkJson, false);
    content.provider(call.provider()).inputs(request).model(string(request, "model"));
    Object response = sdkJson.toJdkValue(span.response());
    if (response == null) {
      return;
    }
    content.outputs(withVectorsSummarised(response));
    String servedModel = string(response, "model");
    if (servedModel != null) {
      content.model(servedModel);
    }
    content.tokenUsage(OpenAiUsage.ofEmbedding(path(response, "usage")));
  }

  private static Object withVectorsSummarised(Object response) {
    Object data = path(response, "data");
    if (!(response instanceof Map) || !(data instanceof List)) {
      return response;
    }
    List<Object> summarised = new ArrayList<>();
    for (Object embedding : (List<?>) data) {
      summarised.add(embedding instanceof Map ? summarised((Map<?, ?>) embedding) : embedding);
    }
    Map<Object, Object> copy = new LinkedHashMap<>((Map<?, ?>) response);
    copy.put("data", summarised);
    return copy;
  }

  private static Map<Object, Object> summarised(Map<?, ?> embedding) {
    Map<Object, Object> copy = new LinkedHashMap<>();
    embedding.forEach((key, value) -> {
      if ("embedding".equals(key)) {
        copy.put("embedding_dimensions", dimensions(value));
      } else {
        copy.put(key, value);
      }
    });
    return copy;
  }

  /**
   * A vector's length: a list of floats, or the base64 of its little-endian float32 values (the
   * encoding the SDK asks for by default).
   */
  private static Object dimensions(Object vector) {
    if (vector instanceof List) {
      return ((List<?>) vector).size();
    }
    if (vector instanceof String) {
      return Base64.getDecoder().decode((String) vector).length / Float.BYTES;
    }
    return null;
  }
}
