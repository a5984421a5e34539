package org.mlflow.agent.export;

/**
 * A value already written as JSON text (span inputs and outputs are serialized once, when they are
 * rendered, to measure and cut them). Writers embed the text as it is.
 */
public final class JsonText {

  private final String json;
  private final Object source;

  public JsonText(String json) {
    this(json, null);
  }

  /**
   * @param source the value {@code json} was written from, kept so that a reader of the value
   *     (the trace's previews) need not parse the text again; null when not kept
   */
  public JsonText(String json, Object source) {
    this.json = json;
    this.source = source;
  }

  public String json() {
    return json;
  }

  /** The value this text was written from, when it was kept; else null. */
  public Object source() {
    return source;
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
