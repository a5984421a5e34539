package org.mlflow.agent.integration.bedrock;

import static org.mlflow.agent.integration.JdkValues.path;
import static org.mlflow.agent.integration.JdkValues.string;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mlflow.agent.integration.SpanContent;

/**
 * What a Converse or ConverseStream request tells a span, as MLflow's Python Bedrock autolog
 * records it: the request as inputs, the {@code bedrock} chat format, the model id, and the tools
 * offered as OpenAI-style definitions.
 */
final class ConverseRequests {

  static final String PROVIDER = "bedrock";

  private ConverseRequests() {}

  static void describe(Object request, SpanContent content) throws ReflectiveOperationException {
    Object inputs = SdkValues.read(request);
    content.provider(PROVIDER).messageFormat("bedrock").inputs(inputs)
        .model(string(inputs, "modelId"));
    List<Object> tools = tools(path(inputs, "toolConfig", "tools"));
    if (!tools.isEmpty()) {
      content.tools(tools);
    }
  }

  /** Each {@code toolSpec} as {@code {"type":"function","function":{...}}}; others skipped. */
  private static List<Object> tools(Object bedrockTools) {
    List<Object> tools = new ArrayList<>();
    if (!(bedrockTools instanceof List)) {
      return tools;
    }
    for (Object tool : (List<?>) bedrockTools) {
      String name = string(tool, "toolSpec", "name");
      if (name == null) {
        continue; // a cache point or a system tool: no function to describe
      }
      Map<String, Object> function = new LinkedHashMap<>();
      function.put("name", name);
      putIfPresent(function, "description", path(tool, "toolSpec", "description"));
      putIfPresent(function, "parameters", path(tool, "toolSpec", "inputSchema", "json"));
      Map<String, Object> definition = new LinkedHashMap<>();
      definition.put("type", "function");
      definition.put("function", function);
      tools.add(definition);
    }
    return tools;
  }

  private static void putIfPresent(Map<String, Object> map, String key, Object value) {
    if (value != null) {
      map.put(key, value);
    }
  }
}
