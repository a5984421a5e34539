package org.mlflow.agent.export;

/**
 * A value already written as JSON text (span inputs and outputs are serialized once, when they are
 * rendered, to measure and cut them). Writers embed the text as it is.
 */
public final class JsonText {

  private final String json;
  private final String preview;

  public JsonText(String json) {
    this(json, null);
  }

  /**
   * @param preview what a trace's preview shows for this value, taken from the value when it was
   *     written so that the text need not be parsed again; null when not taken
   */
  public JsonText(String json, String preview) {
    this.json = json;
    this.preview = preview;
  }

  public String json() {
    return json;
  }

  /** What a trace's preview shows for this value, when it was taken; else null. */
  public String preview() {
    return preview;
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
