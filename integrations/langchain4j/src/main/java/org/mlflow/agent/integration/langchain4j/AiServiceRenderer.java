package org.mlflow.agent.integration.langchain4j;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.integration.ContentRenderer;
import org.mlflow.agent.integration.SpanContent;

/**
 * A call of an AI service method, named {@code Interface.method}: inputs the arguments by
 * parameter name (the names javac kept, else {@code arg0}...), outputs the return value as its
 * JSON would read ({@code Result<T>}: its content). Token usage stays on the model calls inside.
 */
final class AiServiceRenderer implements ContentRenderer {

  private static final String RESULT = "dev.langchain4j.service.Result";

  /** LangChain4j's annotation naming a prompt template variable. */
  private static final String TEMPLATE_VARIABLE = "dev.langchain4j.service.V";

  private final LangChain4jJson json;

  AiServiceRenderer(LangChain4jJson json) {
    this.json = json;
  }

  @Override
  public void render(Span span, SpanContent content) throws Exception {
    Object[] call = (Object[]) span.request();
    Method method = (Method) call[0];
    Object[] arguments = (Object[]) call[1];
    ClassLoader loader = method.getDeclaringClass().getClassLoader();
    content.spanName(method.getDeclaringClass().getSimpleName() + "." + method.getName());
    content.inputs(inputs(method.getParameters(), arguments, loader));
    Object result = span.response();
    if (result != null && result.getClass().getName().equals(RESULT)) {
      result = Accessors.get(result, "content");
    }
    if (result != null) {
      content.outputs(json.toJdkValue(result, loader));
    }
  }

  /**
   * The arguments by name: the parameter's name when javac kept it ({@code -parameters}), else its
   * {@code @V} template variable, else {@code argN}. A lone argument known by no name is the
   * inputs itself (the question asked), as a person would read it.
   */
  private Object inputs(Parameter[] parameters, Object[] arguments, ClassLoader loader)
      throws ReflectiveOperationException {
    if (arguments == null || arguments.length == 0) {
      return Map.of();
    }
    Map<String, Object> inputs = new LinkedHashMap<>();
    for (int i = 0; i < arguments.length; i++) {
      String name = i < parameters.length ? nameOf(parameters[i]) : null;
      if (name == null && arguments.length == 1) {
        return json.toJdkValue(arguments[0], loader);
      }
      inputs.put(name != null ? name : "arg" + i, json.toJdkValue(arguments[i], loader));
    }
    return inputs;
  }

  private static String nameOf(Parameter parameter) throws ReflectiveOperationException {
    if (parameter.isNamePresent()) {
      return parameter.getName();
    }
    for (Annotation annotation : parameter.getAnnotations()) {
      if (annotation.annotationType().getName().equals(TEMPLATE_VARIABLE)) {
        return String.valueOf(annotation.annotationType().getMethod("value").invoke(annotation));
      }
    }
    return null;
  }
}
