package org.mlflow.agent.methods;

import java.util.LinkedHashMap;
import java.util.Map;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.integration.ContentRenderer;
import org.mlflow.agent.integration.SpanContent;

/**
 * A traced application method's span, as Python's {@code @mlflow.trace} records a function:
 * inputs are the arguments by parameter name, outputs the return value, and {@code
 * mlflow.spanFunctionName} the method's name. Values are read by {@link ObjectView}.
 */
public final class MethodCallRenderer implements ContentRenderer {

  static final String FUNCTION_NAME = "mlflow.spanFunctionName";

  @Override
  public void render(Span span, SpanContent content) {
    Object[] call = (Object[]) span.request();
    String[] names = ((String) call[0]).isEmpty() ? new String[0] : ((String) call[0]).split(",");
    Object[] arguments = (Object[]) call[1];
    Map<String, Object> inputs = new LinkedHashMap<>();
    for (int i = 0; i < arguments.length; i++) {
      inputs.put(i < names.length ? names[i] : "arg" + i, ObjectView.of(arguments[i]));
    }
    content.inputs(inputs);
    if (span.error() == null) {
      content.outputs(ObjectView.of(span.response()));
    }
    content.attribute(FUNCTION_NAME, span.name().substring(span.name().lastIndexOf('.') + 1));
  }
}
