package org.mlflow.agent.integration.openai;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tools a request offered the model, as the OpenAI-style definitions MLflow's chat view reads
 * ({@code {"type":"function","function":{...}}}), converted as MLflow's Python autolog does.
 */
final class ToolDefinitions {

  private ToolDefinitions() {}

  /** Null when the request offered no tools. */
  static List<Object> of(Object request) {
    Object tools = request instanceof Map ? ((Map<?, ?>) request).get("tools") : null;
    if (!(tools instanceof List) || ((List<?>) tools).isEmpty()) {
      return null;
    }
    List<Object> definitions = new ArrayList<>();
    for (Object tool : (List<?>) tools) {
      if (tool instanceof Map) {
        definitions.add(definition((Map<?, ?>) tool));
      }
    }
    return definitions;
  }

  private static Object definition(Map<?, ?> tool) {
    Object type = tool.containsKey("type") ? tool.get("type") : "function";
    if ("function".equals(type) && tool.containsKey("function")) {
      return tool; // chat completions: already the OpenAI-style definition
    }
    Map<Object, Object> function = new LinkedHashMap<>();
    if ("function".equals(type)) {
      // the Responses API: the function's fields sit beside "type"
      tool.forEach((key, value) -> {
        if (!"type".equals(key)) {
          function.put(key, value);
        }
      });
    } else {
      // A built-in tool (web_search_preview, file_search, ...) is named by its type, as MLflow
      // names it; a custom tool of the Responses API by its own name.
      function.put("name", tool.get("name") instanceof String ? tool.get("name") : type);
    }
    Map<Object, Object> definition = new LinkedHashMap<>();
    definition.put("type", "function");
    definition.put("function", function);
    return definition;
  }
}
