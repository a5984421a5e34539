package org.mlflow.agent.core;

import java.util.regex.Pattern;
import org.mlflow.agent.export.JsonCodec;
import org.mlflow.agent.export.JsonText;

/**
 * How much of a call's inputs and outputs a span keeps: all of it, up to a size, or none
 * ({@code MLFLOW_AGENT_CAPTURE_CONTENT=false}: spans keep names, types, timing, model and usage),
 * with the user's redaction patterns ({@code MLFLOW_AGENT_REDACT_PATTERNS}) applied first.
 */
public final class ContentPolicy {

  static final String TRUNCATION_MARKER = "... [truncated by mlflow-tracing-agent: %d of %d chars]";

  private final boolean captureContent;
  private final int maxContentChars;
  private final Redactor redactor;

  public ContentPolicy(boolean captureContent, int maxContentChars) {
    this(captureContent, maxContentChars, null);
  }

  /** @param redaction what to replace in content before it is cut and exported; null: nothing */
  public ContentPolicy(boolean captureContent, int maxContentChars, Pattern redaction) {
    this.captureContent = captureContent;
    this.maxContentChars = maxContentChars;
    this.redactor = redaction == null ? null : new Redactor(redaction);
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
    if (redactor != null) {
      json = redactor.redact(json); // before the cut, so a cut never leaves half a match behind
    }
    if (json.length() <= maxContentChars) {
      return new JsonText(json);
    }
    String kept = json.substring(0, maxContentChars)
        + String.format(TRUNCATION_MARKER, maxContentChars, json.length());
    return new JsonText(JsonCodec.write(kept));
  }
}
