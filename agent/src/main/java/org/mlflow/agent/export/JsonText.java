package org.mlflow.agent.export;

/**
 * A value already written as JSON text (span inputs and outputs are serialized once, when they are
 * rendered, to measure and cut them). Writers embed the text as it is.
 */
public final class JsonText {

  private final String json;

  public JsonText(String json) {
    this.json = json;
  }

  public String json() {
    return json;
  }

  /** The value as JDK maps and lists again, or the text itself if it is not JSON. */
  public Object parse() {
    try {
      return JsonCodec.mapper().readValue(json, Object.class);
    } catch (java.io.IOException notJson) {
      return json;
    }
  }

  @Override
  public String toString() {
    return json;
  }
}
