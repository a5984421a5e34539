package org.mlflow.agent.integration;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Entries of {@link SpanContent#tools}: MLflow's chat view reads the tools a model was offered as
 * OpenAI-style function definitions, whatever the provider's own shape.
 */
public final class ChatTools {

  private ChatTools() {}

  /**
   * {@code {"type":"function","function":{"name","description","parameters"}}}, leaving out a
   * description or parameters the provider's definition does not have.
   *
   * @param parameters the JSON schema of the arguments, as plain JDK values
   */
  public static Map<String, Object> function(String name, String description, Object parameters) {
    Map<String, Object> function = new LinkedHashMap<>();
    function.put("name", name);
    if (description != null) {
      function.put("description", description);
    }
    if (parameters != null) {
      function.put("parameters", parameters);
    }
    Map<String, Object> tool = new LinkedHashMap<>();
    tool.put("type", "function");
    tool.put("function", function);
    return tool;
  }
}
