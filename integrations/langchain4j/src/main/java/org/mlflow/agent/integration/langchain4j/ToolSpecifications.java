package org.mlflow.agent.integration.langchain4j;

import static org.mlflow.agent.integration.langchain4j.Accessors.get;
import static org.mlflow.agent.integration.langchain4j.Accessors.string;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.mlflow.agent.integration.ChatTools;

/**
 * A chat request's {@code ToolSpecification}s as OpenAI-style tool definitions, their parameter
 * schemas written by LangChain4j's own {@code JsonSchemaElementUtils.toMap} (the JSON schema its
 * providers send).
 */
final class ToolSpecifications {

  private static final String SCHEMA_UTILS = "dev.langchain4j.internal.JsonSchemaElementUtils";
  private static final String SCHEMA_ELEMENT =
      "dev.langchain4j.model.chat.request.json.JsonSchemaElement";

  private ToolSpecifications() {}

  /** Null when the request offers no tools. */
  static List<Object> of(List<?> specifications) throws ReflectiveOperationException {
    if (specifications.isEmpty()) {
      return null;
    }
    List<Object> tools = new ArrayList<>();
    for (Object specification : specifications) {
      tools.add(ChatTools.function(string(specification, "name"),
          string(specification, "description"), schema(get(specification, "parameters"))));
    }
    return tools;
  }

  private static Object schema(Object parameters) throws ReflectiveOperationException {
    if (parameters == null) {
      return null;
    }
    ClassLoader loader = parameters.getClass().getClassLoader();
    Class<?> element = Class.forName(SCHEMA_ELEMENT, false, loader);
    Method toMap = Class.forName(SCHEMA_UTILS, true, loader).getMethod("toMap", element);
    return toMap.invoke(null, parameters);
  }
}
