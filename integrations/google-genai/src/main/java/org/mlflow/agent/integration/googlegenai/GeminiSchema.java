package org.mlflow.agent.integration.googlegenai;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A Gemini {@code Schema} (OpenAPI style, upper-case type names) as the JSON Schema OpenAI-style
 * tool definitions carry: type names in lower case, as MLflow's Python Gemini autolog converts
 * them, through nested properties, items and alternatives.
 */
final class GeminiSchema {

  private GeminiSchema() {}

  static Object toJsonSchema(Object schema) {
    if (!(schema instanceof Map)) {
      return schema;
    }
    Map<String, Object> converted = new LinkedHashMap<>();
    for (Map.Entry<?, ?> field : ((Map<?, ?>) schema).entrySet()) {
      String key = String.valueOf(field.getKey());
      Object value = field.getValue();
      switch (key) {
        case "type":
          converted.put(key, value instanceof String
              ? ((String) value).toLowerCase(Locale.ROOT) : value);
          break;
        case "properties":
          converted.put(key, eachValue(value));
          break;
        case "items":
          converted.put(key, toJsonSchema(value));
          break;
        case "anyOf":
          converted.put(key, eachElement(value));
          break;
        default:
          converted.put(key, value);
      }
    }
    return converted;
  }

  private static Object eachValue(Object properties) {
    if (!(properties instanceof Map)) {
      return properties;
    }
    Map<Object, Object> converted = new LinkedHashMap<>();
    ((Map<?, ?>) properties).forEach((name, schema) -> converted.put(name, toJsonSchema(schema)));
    return converted;
  }

  private static Object eachElement(Object schemas) {
    if (!(schemas instanceof List)) {
      return schemas;
    }
    List<Object> converted = new ArrayList<>();
    ((List<?>) schemas).forEach(schema -> converted.add(toJsonSchema(schema)));
    return converted;
  }
}
