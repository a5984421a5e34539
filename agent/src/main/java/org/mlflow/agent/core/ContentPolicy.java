package org.mlflow.agent.core;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.mlflow.agent.export.JsonCodec;
import org.mlflow.agent.export.JsonText;

/**
 * How much of a call's inputs and outputs a span keeps: all of it, up to a size, or none
 * ({@code MLFLOW_AGENT_CAPTURE_CONTENT=false}: spans keep names, types, timing, model and usage),
 * with the credentials the agent can see and the user's redaction patterns ({@code
 * MLFLOW_AGENT_REDACT_PATTERNS}) replaced first. Errors' texts (messages, stack traces) are
 * redacted the same way.
 */
public final class ContentPolicy {

  private final boolean captureContent;
  private final int maxContentChars;
  private final Redactor redactor;

  public ContentPolicy(boolean captureContent, int maxContentChars) {
    this(captureContent, maxContentChars, null);
  }

  /** @param redaction what to replace in content before it is cut and exported; null: nothing */
  public ContentPolicy(boolean captureContent, int maxContentChars, Pattern redaction) {
    this(captureContent, maxContentChars, redaction, null);
  }

  /**
   * @param redaction the user's patterns; null: none
   * @param secrets the credential values the agent can see ({@link KnownSecrets}); null: none
   */
  public ContentPolicy(boolean captureContent, int maxContentChars, Pattern redaction,
      Pattern secrets) {
    this.captureContent = captureContent;
    this.maxContentChars = maxContentChars;
    List<Pattern> patterns = new ArrayList<>(2);
    if (secrets != null) {
      patterns.add(secrets);
    }
    if (redaction != null) {
      patterns.add(redaction);
    }
    this.redactor = patterns.isEmpty() ? null : new Redactor(patterns);
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
    return apply(value, null);
  }

  /**
   * @param preview which trace preview to take from the value while it is at hand ({@link
   *     JsonText#preview}), so the trace's previews need not parse the text again; null: none.
   *     Never with redaction, where the text no longer stands for the value: the preview is then
   *     read from the redacted text.
   */
  JsonText apply(Object value, Previews.Side preview) {
    if (!captureContent || value == null) {
      return null;
    }
    String json = JsonCodec.write(value);
    if (redactor != null) {
      json = redactor.redact(json); // before the cut, so a cut never leaves half a match behind
      preview = null;
    }
    if (json.length() > maxContentChars) {
      String cut = JsonCodec.writeString(json.substring(0, maxContentChars),
          "... [truncated by mlflow-tracing-agent: " + maxContentChars + " of " + json.length()
              + " chars]");
      return new JsonText(cut, preview == null ? null : Previews.ofJsonString(cut));
    }
    return new JsonText(json, preview == null ? null : Previews.of(value, json, preview));
  }

  /**
   * A text the span carries whatever the content capture (an error's message or stack trace),
   * with every credential and every match of the user's patterns replaced. Null stays null.
   */
  String redactText(String text) {
    return redactor == null || text == null ? text : redactor.redactText(text);
  }
}
