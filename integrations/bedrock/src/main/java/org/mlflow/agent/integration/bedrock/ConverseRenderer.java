package org.mlflow.agent.integration.bedrock;

import static org.mlflow.agent.integration.JdkValues.path;

import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.integration.ContentRenderer;
import org.mlflow.agent.integration.SpanContent;

/**
 * A Converse call, sync or async: the {@code ConverseRequest} as inputs and the {@code
 * ConverseResponse} as outputs, both in the service's JSON shape, usage from the response, and
 * the request id AWS gave the call (Converse responses carry no id of their own).
 */
final class ConverseRenderer implements ContentRenderer {

  @Override
  public void render(Span span, SpanContent content) throws Exception {
    ConverseRequests.describe(span.request(), content);
    RequestIds.record(span, content);
    if (span.response() == null) {
      return;
    }
    Object outputs = SdkValues.read(span.response());
    content.outputs(outputs).tokenUsage(BedrockUsage.from(path(outputs, "usage")));
  }
}
