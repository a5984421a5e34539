package org.mlflow.agent.integration.springai;

import static org.mlflow.agent.integration.springai.SpringAiObjects.call;
import static org.mlflow.agent.integration.springai.SpringAiObjects.string;

import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.integration.ContentRenderer;
import org.mlflow.agent.integration.SpanContent;

/**
 * {@code ToolCallback.call}: named after the tool ({@code getToolDefinition().name()}), inputs the
 * arguments the model gave (parsed from their JSON), outputs the text the tool returned.
 */
final class ToolRenderer implements ContentRenderer {

  @Override
  public void render(Span span, SpanContent content) throws Exception {
    Object[] captured = (Object[]) span.request();
    Object tool = captured[1];
    String name = string(call(tool, "getToolDefinition"), "name");
    if (name != null) {
      content.spanName(name);
    }
    content.inputs(SpringAiObjects.json((String) captured[0], tool));
    content.outputs(span.response());
  }
}
