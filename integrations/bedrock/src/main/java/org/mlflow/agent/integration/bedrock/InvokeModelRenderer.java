package org.mlflow.agent.integration.bedrock;

import java.nio.charset.StandardCharsets;
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
        .inputs(body(request))
        .model((String) SdkValues.call(request, "modelId"));
    RequestIds.record(span, content);
    if (span.response() == null) {
      return;
    }
    Object body = body(span.response());
    content.outputs(body).tokenUsage(BedrockUsage.fromBody(body));
    if (body instanceof Map && ((Map<?, ?>) body).containsKey("embedding")) {
      content.spanType("EMBEDDING");
    }
  }

  /** The {@code body()} of an InvokeModel request or response. */
  private static Object body(Object requestOrResponse) throws ReflectiveOperationException {
    Object sdkBytes = SdkValues.call(requestOrResponse, "body");
    if (sdkBytes == null) {
      return null;
    }
    byte[] bytes = (byte[]) SdkValues.call(sdkBytes, "asByteArray");
    Object json = SdkValues.parseJson(bytes, requestOrResponse.getClass().getClassLoader());
    return json != null ? json : new String(bytes, StandardCharsets.UTF_8);
  }
}
