package org.mlflow.agent.integration.googlegenai;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.integration.ContentRenderer;
import org.mlflow.agent.integration.SpanContent;

/**
 * An {@code embedContent} call: the arguments as inputs, the {@code EmbedContentResponse} as
 * outputs with each vector summarised as its number of dimensions (thousands of floats per text
 * tell a reader nothing and would crowd out the rest of the trace).
 */
final class EmbedContentRenderer implements ContentRenderer {

  private final GenAiJson json;

  EmbedContentRenderer(GenAiJson json) {
    this.json = json;
  }

  @Override
  public void render(Span span, SpanContent content) throws Exception {
    Object[] arguments = (Object[]) span.request();
    content.provider(GenerateContentRenderer.PROVIDER)
        .messageFormat(GenerateContentRenderer.MESSAGE_FORMAT)
        .inputs(json.inputs(arguments))
        .model((String) arguments[0]);
    if (span.response() != null) {
      content.outputs(summarised(json.response(span.response())));
    }
  }

  /** The response with {@code embeddings[].values} replaced by {@code embeddings[].dimensions}. */
  static Object summarised(Object response) {
    if (!(response instanceof Map) || !(((Map<?, ?>) response).get("embeddings") instanceof List)) {
      return response;
    }
    List<Object> embeddings = new ArrayList<>();
    for (Object embedding : (List<?>) ((Map<?, ?>) response).get("embeddings")) {
      if (!(embedding instanceof Map)) {
        embeddings.add(embedding);
        continue;
      }
      Map<Object, Object> summary = new LinkedHashMap<>();
      ((Map<?, ?>) embedding).forEach((key, value) -> {
        if ("values".equals(key) && value instanceof List) {
          summary.put("dimensions", ((List<?>) value).size());
        } else {
          summary.put(key, value);
        }
      });
      embeddings.add(summary);
    }
    Map<Object, Object> summarised = new LinkedHashMap<>((Map<?, ?>) response);
    summarised.put("embeddings", embeddings);
    return summarised;
  }
}
