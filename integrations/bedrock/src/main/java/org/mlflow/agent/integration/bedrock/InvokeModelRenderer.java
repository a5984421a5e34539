package org.mlflow.agent.integration.bedrock;

import java.util.Map;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.integration.ContentRenderer;
import org.mlflow.agent.integration.SpanContent;

/**
 * An InvokeModel call, sync or async: the model's own request body as inputs and its response
 * body as outputs (JSON, or the text when a body is not JSON), the model id, and usage when the
 * body reports it (Anthropic's {@code usage}, Meta's token counts). As in MLflow's Python
 * autolog, the span is an {@code LLM} span, or {@code EMBEDDING} when the body holds an {@code
 * embedding}; no chat format is set, since each model family has its own body.
 */
final class InvokeModelRenderer implements ContentRenderer {

  @Override
  public void render(Span span, SpanContent content) throws Exception {
    Object request = span.request();
    content.provider(ConverseRequests.PROVIDER)
        .inputs(ModelBodies.bodyOf(request, "body"))
        .model((String) PublicMethods.call(request, "modelId"));
    RequestIds.record(span, content);
    if (span.response() == null) {
      return;
    }
    Object body = ModelBodies.bodyOf(span.response(), "body");
    content.outputs(body).tokenUsage(BedrockUsage.fromBody(body));
    if (body instanceof Map && ((Map<?, ?>) body).containsKey("embedding")) {
      content.spanType("EMBEDDING");
    }
  }
}
