package org.mlflow.agent.integration.bedrock;

import static org.mlflow.agent.integration.JdkValues.path;

import java.util.LinkedHashMap;
import java.util.Map;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.integration.ContentRenderer;
import org.mlflow.agent.integration.SpanContent;

/**
 * A ConverseStream call: the request as inputs (as for Converse), each event as one chunk in the
 * service's event shape ({@code {"contentBlockDelta": {...}}}), and as outputs the response the
 * events add up to, in the shape of a Converse response, with the usage of the metadata event.
 */
final class ConverseStreamRenderer implements ContentRenderer {

  @Override
  public void render(Span span, SpanContent content) throws Exception {
    ConverseRequests.describe(span.request(), content);
    RequestIds.record(span, content);
    if (span.chunkCount() == 0) {
      return;
    }
    ConverseStreamAssembly assembly =
        new ConverseStreamAssembly(span.chunk(0).getClass().getClassLoader());
    for (int i = 0; i < span.chunkCount(); i++) {
      Object event = span.chunk(i);
      String type = SdkValues.eventType(event);
      Object value = SdkValues.read(event);
      Map<String, Object> chunk = new LinkedHashMap<>();
      chunk.put(type, value);
      content.chunk(chunk);
      assembly.add(type, value);
    }
    Map<String, Object> response = assembly.response();
    content.outputs(response).tokenUsage(BedrockUsage.from(path(response, "usage")));
  }
}
