package org.mlflow.agent.integration.langchain4j;

import java.util.Collection;
import java.util.Map;

/**
 * LangChain4j's own JSON ({@code dev.langchain4j.internal.Json}, the codec it parses tool
 * arguments and structured outputs with), reached reflectively in the application's class loader.
 * Exporter thread only.
 */
final class LangChain4jJson {

  private static final String JSON = "dev.langchain4j.internal.Json";

  /**
   * JSON text (a tool call's arguments) as plain JDK values; the text itself when it is not valid
   * JSON, since a model may send anything there.
   */
  Object parse(String json, Object libraryObject) {
    if (json == null) {
      return null;
    }
    try {
      return fromJson(json, libraryObject.getClass().getClassLoader());
    } catch (ReflectiveOperationException | RuntimeException notJson) {
      return json;
    }
  }

  /**
   * A value as it would read in JSON: JDK values as they are, an application or library object
   * (an AI service's structured output) through LangChain4j's codec, or its text when the codec
   * cannot write it.
   */
  Object toJdkValue(Object value, ClassLoader libraryLoader) {
    if (value == null || value instanceof String || value instanceof Number
        || value instanceof Boolean || value instanceof Map || value instanceof Collection) {
      return value;
    }
    if (value instanceof Enum || value instanceof Character || libraryLoader == null) {
      return value.toString();
    }
    try {
      Class<?> json = Class.forName(JSON, true, libraryLoader);
      String text = (String) json.getMethod("toJson", Object.class).invoke(null, value);
      return fromJson(text, libraryLoader);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError notWritable) {
      return value.toString();
    }
  }

  private static Object fromJson(String json, ClassLoader loader)
      throws ReflectiveOperationException {
    Class<?> codec = Class.forName(JSON, true, loader);
    return codec.getMethod("fromJson", String.class, Class.class).invoke(null, json, Object.class);
  }
}
