package org.mlflow.agent.integration.googlegenai;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The functions a request offers the model, as OpenAI-style tool definitions ({@code
 * {"type":"function","function":{"name","description","parameters"}}}), the shape MLflow shows
 * in its chat view. Declared functions are read from the config's JSON; Java methods given for
 * automatic function calling are not part of that JSON, so they are declared the way the SDK itself
 * declares them to the model ({@code FunctionDeclaration.fromMethod}).
 */
final class GeminiTools {

  private static final String TOOL = "com.google.genai.types.Tool";
  private static final String CONFIG = "com.google.genai.types.GenerateContentConfig";
  private static final String FUNCTION_DECLARATION = "com.google.genai.types.FunctionDeclaration";

  private final GenAiJson json;

  GeminiTools(GenAiJson json) {
    this.json = json;
  }

  /** Null when the request offers no function. */
  List<Object> definitions(Object sdkConfig) throws ReflectiveOperationException {
    if (sdkConfig == null) {
      return null;
    }
    ClassLoader sdk = sdkConfig.getClass().getClassLoader();
    List<Object> definitions = new ArrayList<>();
    for (Object tool : present(call(sdkConfig, CONFIG, "tools"))) {
      for (Object method : present(call(tool, TOOL, "functions"))) {
        Object declaration = declare((Method) method, sdk);
        if (declaration != null) {
          definitions.add(definition(json.value(declaration)));
        }
      }
      for (Object declaration : present(call(tool, TOOL, "functionDeclarations"))) {
        definitions.add(definition(json.value(declaration)));
      }
    }
    return definitions.isEmpty() ? null : definitions;
  }

  /** Null for a method the SDK cannot declare either (it fails that call itself). */
  private static Object declare(Method method, ClassLoader sdk)
      throws ReflectiveOperationException {
    Method fromMethod = Class.forName(FUNCTION_DECLARATION, true, sdk)
        .getMethod("fromMethod", Method.class, String[].class);
    try {
      return fromMethod.invoke(null, method, new String[0]);
    } catch (InvocationTargetException undeclarable) {
      return null;
    }
  }

  private static Map<String, Object> definition(Object declaration) {
    Map<?, ?> fields = (Map<?, ?>) declaration;
    Map<String, Object> function = new LinkedHashMap<>();
    function.put("name", fields.get("name"));
    Object description = fields.get("description");
    if (description instanceof String && !((String) description).isEmpty()) {
      function.put("description", description);
    }
    if (fields.get("parameters") != null) {
      function.put("parameters", GeminiSchema.toJsonSchema(fields.get("parameters")));
    } else if (fields.get("parametersJsonSchema") != null) {
      function.put("parameters", fields.get("parametersJsonSchema"));
    }
    Map<String, Object> tool = new LinkedHashMap<>();
    tool.put("type", "function");
    tool.put("function", function);
    return tool;
  }

  /** Calls a public accessor through its public declaring type (the SDK's values are AutoValue). */
  private static Object call(Object target, String publicType, String accessor)
      throws ReflectiveOperationException {
    Class<?> type = Class.forName(publicType, false, target.getClass().getClassLoader());
    return type.getMethod(accessor).invoke(target);
  }

  private static List<?> present(Object optionalList) {
    Object value = optionalList instanceof Optional ? ((Optional<?>) optionalList).orElse(null)
        : optionalList;
    return value instanceof List ? (List<?>) value : List.of();
  }
}
