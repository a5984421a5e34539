package org.mlflow.agent.integration.mcp;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.integration.ContentRenderer;
import org.mlflow.agent.integration.SpanContent;

/**
 * An MCP tool call: named after the tool, inputs the arguments, outputs the result's text (its
 * text contents joined; other contents, such as images, by their type), the structured content
 * when the server gave one. A result the server flagged {@code isError} is an error span.
 */
final class ToolCallRenderer implements ContentRenderer {

  @Override
  public void render(Span span, SpanContent content) throws Exception {
    Object request = span.request();
    Object name = read(request, "name");
    if (name instanceof String) {
      content.spanName((String) name);
    }
    Object arguments = read(request, "arguments");
    content.inputs(arguments instanceof Map ? new LinkedHashMap<>((Map<?, ?>) arguments) : null);
    Object result = span.response();
    if (result == null) {
      return;
    }
    Object outputs = outputs(result);
    content.outputs(outputs);
    if (Boolean.TRUE.equals(read(result, "isError"))) {
      content.failure("the MCP tool reported an error: "
          + (outputs instanceof String ? outputs : read(result, "content")));
    }
  }

  private static Object outputs(Object result) throws ReflectiveOperationException {
    List<String> texts = new ArrayList<>();
    Object contents = read(result, "content");
    if (contents instanceof List) {
      for (Object item : (List<?>) contents) {
        Object text = read(item, "text");
        texts.add(text instanceof String ? (String) text : "[" + read(item, "type") + "]");
      }
    }
    String text = String.join("\n", texts);
    Object structured = read(result, "structuredContent");
    if (structured == null) {
      return text;
    }
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("content", text);
    outputs.put("structured_content", structured);
    return outputs;
  }

  /** A record component or no-argument method of the SDK's public schema types; null if absent. */
  private static Object read(Object target, String name) throws ReflectiveOperationException {
    if (target == null) {
      return null;
    }
    Method method;
    try {
      method = target.getClass().getMethod(name);
    } catch (NoSuchMethodException absent) {
      return null;
    }
    return method.invoke(target);
  }
}
