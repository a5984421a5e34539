package org.mlflow.agent.core;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;
import org.mlflow.agent.export.JsonCodec;

/**
 * The user's redaction patterns ({@code MLFLOW_AGENT_REDACT_PATTERNS}) applied to span content on
 * the exporter thread: every match inside a JSON string value becomes {@link #REPLACEMENT}. Only
 * string values are rewritten, never the JSON's structure, so the result stays valid JSON.
 */
final class Redactor {

  static final String REPLACEMENT = "[REDACTED]";

  private final Pattern pattern;

  Redactor(Pattern pattern) {
    this.pattern = pattern;
  }

  /** The JSON text with every match in its string values replaced. */
  String redact(String json) {
    if (!pattern.matcher(json).find()) {
      return json; // nothing to redact: the common case costs one scan
    }
    try {
      JsonNode tree = JsonCodec.mapper().reader()
          .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .readTree(json);
      return JsonCodec.mapper().writeValueAsString(redactNode(tree));
    } catch (IOException notJson) {
      return pattern.matcher(json).replaceAll(REPLACEMENT);
    }
  }

  private JsonNode redactNode(JsonNode node) {
    if (node.isTextual()) {
      return TextNode.valueOf(pattern.matcher(node.textValue()).replaceAll(REPLACEMENT));
    }
    if (node.isObject()) {
      ObjectNode object = (ObjectNode) node;
      Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        field.setValue(redactNode(field.getValue()));
      }
    } else if (node.isArray()) {
      ArrayNode array = (ArrayNode) node;
      for (int i = 0; i < array.size(); i++) {
        array.set(i, redactNode(array.get(i)));
      }
    }
    return node;
  }
}
