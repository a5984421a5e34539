package org.mlflow.agent.integration.googlegenai;

import java.util.LinkedHashMap;
import java.util.Map;
import org.mlflow.agent.integration.LibraryJson;

/**
 * The SDK's objects as its own Jackson mapper writes them ({@code JsonSerializable}), less what is
 * transport rather than content: the HTTP headers the SDK copies into each response ({@code
 * sdkHttpResponse}) and the per-request HTTP options a config may carry ({@code httpOptions},
 * whose headers can hold credentials).
 */
final class GenAiJson {

  // A method in recent versions, a static field holding the mapper in older ones.
  private final LibraryJson sdkJson = new LibraryJson("com.google.genai.JsonSerializable",
      "objectMapper");

  /** Any SDK value (a type, a list of them, a string) as plain JDK values. */
  Object value(Object sdkValue) throws ReflectiveOperationException {
    return sdkJson.toJdkValue(sdkValue);
  }

  /** A response ({@code GenerateContentResponse}, {@code EmbedContentResponse}). */
  Object response(Object sdkResponse) throws ReflectiveOperationException {
    return without(value(sdkResponse), "sdkHttpResponse");
  }

  /** A request config ({@code GenerateContentConfig}, {@code EmbedContentConfig}). */
  Object config(Object sdkConfig) throws ReflectiveOperationException {
    return without(value(sdkConfig), "httpOptions");
  }

  /**
   * The call's inputs as MLflow's Python autolog records them: its arguments by name.
   *
   * @param arguments the model, the contents and the config the call was made with
   */
  Map<String, Object> inputs(Object[] arguments) throws ReflectiveOperationException {
    Map<String, Object> inputs = new LinkedHashMap<>();
    inputs.put("model", arguments[0]);
    inputs.put("contents", value(arguments[1]));
    if (arguments[2] != null) {
      inputs.put("config", config(arguments[2]));
    }
    return inputs;
  }

  private static Object without(Object value, String key) {
    if (value instanceof Map && ((Map<?, ?>) value).containsKey(key)) {
      Map<Object, Object> copy = new LinkedHashMap<>((Map<?, ?>) value);
      copy.remove(key);
      return copy;
    }
    return value;
  }
}
