package org.mlflow.agent.integration.bedrock;

import static org.mlflow.agent.integration.bedrock.PublicMethods.call;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON text read with the SDK's own parser ({@code JsonNodeParser} of {@code json-utils}, which
 * every JSON-protocol service client depends on), found reflectively in the SDK's class loader:
 * model bodies and streamed tool input are JSON the SDK hands over as bytes or text.
 */
final class SdkJson {

  private static final String JSON_NODE_PARSER =
      "software.amazon.awssdk.protocols.jsoncore.JsonNodeParser";
  private static final Map<ClassLoader, Object> JSON_PARSERS = new java.util.WeakHashMap<>();

  private SdkJson() {}

  /**
   * A JSON document, such as a model's request or response body, as JDK values, read with the
   * SDK's own JSON parser (found in {@code sdkLoader}); null when the bytes are not JSON.
   */
  static Object parse(byte[] json, ClassLoader sdkLoader) throws ReflectiveOperationException {
    Object parser;
    synchronized (JSON_PARSERS) {
      parser = JSON_PARSERS.get(sdkLoader);
      if (parser == null) {
        parser = Class.forName(JSON_NODE_PARSER, true, sdkLoader).getMethod("create").invoke(null);
        JSON_PARSERS.put(sdkLoader, parser);
      }
    }
    Object node;
    try {
      node = parser.getClass().getMethod("parse", byte[].class).invoke(parser, (Object) json);
    } catch (java.lang.reflect.InvocationTargetException notJson) {
      return null;
    }
    return readJsonNode(node);
  }

  private static Object readJsonNode(Object node) throws ReflectiveOperationException {
    if ((Boolean) call(node, "isObject")) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (Map.Entry<?, ?> entry : ((Map<?, ?>) call(node, "asObject")).entrySet()) {
        map.put(String.valueOf(entry.getKey()), readJsonNode(entry.getValue()));
      }
      return map;
    }
    if ((Boolean) call(node, "isArray")) {
      List<Object> list = new ArrayList<>();
      for (Object item : (List<?>) call(node, "asArray")) {
        list.add(readJsonNode(item));
      }
      return list;
    }
    if ((Boolean) call(node, "isNull")) {
      return null;
    }
    if ((Boolean) call(node, "isNumber")) {
      return exactNumber((String) call(node, "asNumber"));
    }
    return call(node, (Boolean) call(node, "isBoolean") ? "asBoolean" : "asString");
  }

  /** A JSON number, kept exact: an integer as a Long, anything else as a BigDecimal. */
  static Number exactNumber(String text) {
    try {
      return Long.valueOf(text);
    } catch (NumberFormatException notAnInteger) {
      return new java.math.BigDecimal(text);
    }
  }
}
