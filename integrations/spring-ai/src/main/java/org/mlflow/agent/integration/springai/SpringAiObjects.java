package org.mlflow.agent.integration.springai;

import java.lang.reflect.Method;

/**
 * Reads Spring AI's objects reflectively, for code compiled against none of Spring AI. Exporter
 * thread only.
 */
final class SpringAiObjects {

  private static final String JSON_PARSER = "org.springframework.ai.util.json.JsonParser";

  private SpringAiObjects() {}

  /** The value of the public no-argument method {@code name}, or null when there is none. */
  static Object call(Object target, String name) throws ReflectiveOperationException {
    if (target == null) {
      return null;
    }
    Method method;
    try {
      method = target.getClass().getMethod(name);
    } catch (NoSuchMethodException absent) {
      return null;
    }
    if (!method.canAccess(target)) {
      // A public method of a class that is not public (an implementation behind an interface).
      method.setAccessible(true);
    }
    return method.invoke(target);
  }

  static String string(Object target, String name) throws ReflectiveOperationException {
    Object value = call(target, name);
    return value == null ? null : value.toString();
  }

  /**
   * JSON text (tool arguments, a tool's input schema) as plain JDK values, read with Spring AI's
   * own parser ({@code JsonParser.fromJson}, in 1.1 and 2.0 alike); the text itself when it is
   * not JSON.
   */
  static Object json(String text, Object springAiObject) {
    if (text == null) {
      return null;
    }
    try {
      Class<?> parser = Class.forName(JSON_PARSER, false,
          springAiObject.getClass().getClassLoader());
      return parser.getMethod("fromJson", String.class, Class.class)
          .invoke(null, text, Object.class);
    } catch (ReflectiveOperationException | RuntimeException notJson) {
      return text;
    }
  }

  /**
   * The provider a Spring AI model class serves, from its package ({@code
   * org.springframework.ai.openai.OpenAiChatModel}: {@code openai}); null for a model class of
   * another origin.
   */
  static String provider(Object model) {
    if (model == null) {
      return null;
    }
    String name = model.getClass().getName();
    String prefix = "org.springframework.ai.";
    if (!name.startsWith(prefix)) {
      return null;
    }
    int end = name.indexOf('.', prefix.length());
    return end < 0 ? null : name.substring(prefix.length(), end);
  }
}
