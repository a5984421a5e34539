package org.mlflow.agent.integration.langchain4j;

import static org.mlflow.agent.integration.langchain4j.Accessors.string;

import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.integration.ContentRenderer;
import org.mlflow.agent.integration.SpanContent;

/**
 * A tool execution, named after the tool: inputs the arguments the model sent, parsed as JSON;
 * outputs the result text ({@code execute} returns it, {@code executeWithContext} returns a
 * {@code ToolExecutionResult} holding it). The model's tool call id is kept as an attribute.
 */
final class ToolRenderer implements ContentRenderer {

  private final LangChain4jJson json;

  ToolRenderer(LangChain4jJson json) {
    this.json = json;
  }

  @Override
  public void render(Span span, SpanContent content) throws Exception {
    Object request = span.request();
    content.spanName(string(request, "name"))
        .inputs(json.parse(string(request, "arguments"), request));
    String callId = string(request, "id");
    if (callId != null) {
      content.attribute("tool_call_id", callId);
    }
    Object result = span.response();
    if (result != null) {
      content.outputs(result instanceof String ? result : string(result, "resultText"));
    }
  }
}
