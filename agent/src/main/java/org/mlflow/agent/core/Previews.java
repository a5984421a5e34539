package org.mlflow.agent.core;

import java.util.List;
import java.util.Map;
import org.mlflow.agent.export.JsonCodec;
import org.mlflow.agent.export.JsonText;

/**
 * The request and response previews MLflow lists traces by, computed as MLflow's Python client
 * does: for a chat call, the last user message and the assistant's answer; for anything else, the
 * JSON of the inputs and outputs.
 *
 * <p>A root's previews are taken when its inputs and outputs are written ({@link #of}), from the
 * value at hand; the trace's previews then cut them ({@link #request}, {@link #response}). Only
 * when that was not possible are they read back from the JSON text.
 */
final class Previews {

  /** Which preview a value is read for. */
  enum Side {
    REQUEST,
    RESPONSE
  }

  /** The longest preview any server keeps: a preview taken early is cut to this. */
  static final int MAX_CHARS = TraceBuilder.DATABRICKS_PREVIEW_CHARS;

  /** Deeper values are parsed from their text, as before, rather than walked. */
  private static final int MAX_DEPTH = 64;

  private Previews() {}

  /**
   * The preview text of a value about to be exported as {@code json}, the text it writes as, cut
   * to {@link #MAX_CHARS} (one more char, so a later cut still sees it is longer); null when the
   * value holds more than parsing the text gives back (beans, decimals, deep nesting): its preview
   * is then read from the text.
   */
  static String of(Object value, String json, Side side) {
    if (!parsesBackTheSame(value, 0)) {
      return null;
    }
    String text = chatText(value, side);
    return atMostTheLongest(text != null ? text : json);
  }

  /** The preview text of a value written as a JSON string (a cut value): that JSON text. */
  static String ofJsonString(String json) {
    return atMostTheLongest(json);
  }

  private static String atMostTheLongest(String text) {
    return text.length() <= MAX_CHARS ? text : text.substring(0, MAX_CHARS + 1);
  }

  static String request(Object renderedInputs, int maxChars) {
    return preview(renderedInputs, Side.REQUEST, maxChars);
  }

  static String response(Object renderedOutputs, int maxChars) {
    return preview(renderedOutputs, Side.RESPONSE, maxChars);
  }

  private static String preview(Object rendered, Side side, int maxChars) {
    if (rendered == null) {
      return "";
    }
    if (rendered instanceof JsonText && ((JsonText) rendered).preview() != null) {
      return truncate(((JsonText) rendered).preview(), maxChars);
    }
    Object value = rendered instanceof JsonText ? ((JsonText) rendered).parse() : rendered;
    String text = chatText(value, side);
    return truncate(text != null ? text : JsonCodec.write(value), maxChars);
  }

  /** The chat text a side previews (the last user message, the first answer), or null. */
  private static String chatText(Object value, Side side) {
    return side == Side.REQUEST ? lastUserMessage(value) : firstAnswer(value);
  }

  private static String lastUserMessage(Object inputs) {
    Object messages = inputs instanceof Map ? ((Map<?, ?>) inputs).get("messages") : null;
    if (messages instanceof List) {
      List<?> list = (List<?>) messages;
      for (int i = list.size() - 1; i >= 0; i--) {
        Object message = list.get(i);
        if (message instanceof Map && "user".equals(((Map<?, ?>) message).get("role"))) {
          String text = text(((Map<?, ?>) message).get("content"));
          if (text != null) {
            return text;
          }
        }
      }
    }
    return null;
  }

  private static String firstAnswer(Object outputs) {
    Object choices = outputs instanceof Map ? ((Map<?, ?>) outputs).get("choices") : null;
    if (choices instanceof List && !((List<?>) choices).isEmpty()) {
      Object first = ((List<?>) choices).get(0);
      Object message = first instanceof Map ? ((Map<?, ?>) first).get("message") : null;
      return message instanceof Map ? text(((Map<?, ?>) message).get("content")) : null;
    }
    return null;
  }

  /**
   * Whether the value holds only what parsing its JSON gives back the same (maps with string keys,
   * lists, strings, numbers, booleans, nulls), so it can stand for the parsed text.
   */
  private static boolean parsesBackTheSame(Object value, int depth) {
    if (value == null || value instanceof String || value instanceof Boolean
        || value instanceof Integer || value instanceof Long || value instanceof Double) {
      return true;
    }
    if (depth == MAX_DEPTH) {
      return false;
    }
    if (value instanceof Map) {
      for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
        if (!(entry.getKey() instanceof String)
            || !parsesBackTheSame(entry.getValue(), depth + 1)) {
          return false;
        }
      }
      return true;
    }
    if (value instanceof List) {
      for (Object element : (List<?>) value) {
        if (!parsesBackTheSame(element, depth + 1)) {
          return false;
        }
      }
      return true;
    }
    return false;
  }

  /** A message's content: a string, or the first string or text part of a list of parts. */
  private static String text(Object content) {
    if (content instanceof String) {
      return (String) content;
    }
    if (content instanceof List) {
      for (Object part : (List<?>) content) {
        if (part instanceof String) {
          return (String) part;
        }
        Object text = part instanceof Map ? ((Map<?, ?>) part).get("text") : null;
        if (text instanceof String) {
          return (String) text;
        }
      }
    }
    return null;
  }

  /** As MLflow cuts previews: at most {@code maxChars}, NUL characters replaced. */
  private static String truncate(String text, int maxChars) {
    // Cut first: the replacement keeps the length, and a call's text is far longer than a preview.
    String cut = text.length() <= maxChars ? text : text.substring(0, maxChars - 3) + "...";
    return cut.replace((char) 0, '\uFFFD');
  }
}
