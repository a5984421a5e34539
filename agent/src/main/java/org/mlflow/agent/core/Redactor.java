package org.mlflow.agent.core;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.mlflow.agent.export.JsonCodec;

/**
 * Patterns applied to what a span carries on the exporter thread: the credentials the agent can
 * see ({@link KnownSecrets}) and the user's redaction patterns ({@code
 * MLFLOW_AGENT_REDACT_PATTERNS}); every match becomes {@link #REPLACEMENT}. In JSON only string
 * values are rewritten, never the JSON's structure, so the result stays valid JSON.
 */
final class Redactor {

  static final String REPLACEMENT = "[REDACTED]";

  private final List<Pattern> patterns;

  /** @param patterns applied in this order: credentials first, so no other match splits one */
  Redactor(List<Pattern> patterns) {
    this.patterns = List.copyOf(patterns);
  }

  /** The JSON text with every match in its string values replaced. */
  String redact(String json) {
    if (!anyMatch(json)) {
      return json; // nothing to redact: the common case costs one scan per pattern
    }
    try {
      JsonNode tree = JsonCodec.mapper().reader()
          .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .readTree(json);
      return JsonCodec.mapper().writeValueAsString(redactNode(tree));
    } catch (IOException notJson) {
      return redactText(json);
    }
  }

  /** Plain text (an exception's message or stack trace) with every match replaced. */
  String redactText(String text) {
    String redacted = text;
    for (Pattern pattern : patterns) {
      redacted = pattern.matcher(redacted).replaceAll(REPLACEMENT);
    }
    return redacted;
  }

  private boolean anyMatch(String text) {
    for (Pattern pattern : patterns) {
      if (pattern.matcher(text).find()) {
        return true;
      }
    }
    return false;
  }

  private JsonNode redactNode(JsonNode node) {
    if (node.isTextual()) {
      return TextNode.valueOf(redactText(node.textValue()));
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
