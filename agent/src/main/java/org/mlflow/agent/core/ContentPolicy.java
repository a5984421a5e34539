package org.mlflow.agent.core;

import org.mlflow.agent.export.JsonCodec;
import org.mlflow.agent.export.JsonText;

/**
 * How much of a call's inputs and outputs a span keeps: all of it, up to a size, or none
 * ({@code MLFLOW_AGENT_CAPTURE_CONTENT=false}: spans keep names, types, timing, model and usage).
 */
public final class ContentPolicy {

  static final String TRUNCATION_MARKER = "... [truncated by mlflow-tracing-agent: %d of %d chars]";

  private final boolean captureContent;
  private final int maxContentChars;

  public ContentPolicy(boolean captureContent, int maxContentChars) {
    this.captureContent = captureContent;
    this.maxContentChars = maxContentChars;
  }

  public static ContentPolicy keepAll() {
    return new ContentPolicy(true, Integer.MAX_VALUE);
  }

  /**
   * The value as JSON text, cut to the size limit, or null when content is not captured. A cut
   * value is no longer valid JSON, so it becomes a JSON string: its first characters and a marker
   * saying how much was kept.
   */
  JsonText apply(Object value) {
    if (!captureContent || value == null) {
      return null;
    }
    String json = JsonCodec.write(value);
    if (json.length() <= maxContentChars) {
      return new JsonText(json);
    }
    String kept = json.substring(0, maxContentChars)
        + String.format(TRUNCATION_MARKER, maxContentChars, json.length());
    return new JsonText(JsonCodec.write(kept));
  }
}
