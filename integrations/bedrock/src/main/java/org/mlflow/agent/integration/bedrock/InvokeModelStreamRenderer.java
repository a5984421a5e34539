package org.mlflow.agent.integration.bedrock;

import java.util.ArrayList;
import java.util.List;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.integration.ContentRenderer;
import org.mlflow.agent.integration.SpanContent;

/**
 * An InvokeModelWithResponseStream call: the model's request body as inputs, each chunk the model
 * streamed (the JSON its payload part carries) as one chunk, and, since every model family
 * streams its own format, those chunks in order as outputs. Usage comes from the chunks as MLflow
 * reads it (Anthropic's {@code message_start} and {@code message_delta}), or from the invocation
 * metrics Bedrock adds to the last chunk of any model.
 */
final class InvokeModelStreamRenderer implements ContentRenderer {

  @Override
  public void render(Span span, SpanContent content) throws Exception {
    Object request = span.request();
    content.provider(ConverseRequests.PROVIDER)
        .inputs(ModelBodies.bodyOf(request, "body"))
        .model((String) PublicMethods.call(request, "modelId"));
    RequestIds.record(span, content);
    if (span.chunkCount() == 0) {
      return;
    }
    List<Object> chunks = new ArrayList<>();
    for (int i = 0; i < span.chunkCount(); i++) {
      Object part = span.chunk(i);
      Object chunk = "chunk".equals(SdkValues.eventType(part))
          ? ModelBodies.bodyOf(part, "bytes") : SdkValues.read(part);
      content.chunk(chunk);
      chunks.add(chunk);
    }
    content.outputs(chunks).tokenUsage(BedrockUsage.fromChunks(chunks));
  }
}
