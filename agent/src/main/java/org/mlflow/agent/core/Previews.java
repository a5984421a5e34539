package org.mlflow.agent.core;

import java.util.List;
import java.util.Map;
import org.mlflow.agent.export.JsonCodec;
import org.mlflow.agent.export.JsonText;

/**
 * The request and response previews MLflow lists traces by, computed as MLflow's Python client
 * does: for a chat call, the last user message and the assistant's answer; for anything else, the
 * JSON of the inputs and outputs.
 */
final class Previews {

  /** Deeper values are parsed from their text, as before, rather than walked. */
  private static final int MAX_DEPTH = 64;

  private Previews() {}

  static String request(Object renderedInputs, int maxChars) {
    if (renderedInputs == null) {
      return "";
    }
    Object inputs = parsed(renderedInputs);
    Object messages = inputs instanceof Map ? ((Map<?, ?>) inputs).get("messages") : null;
    if (messages instanceof List) {
      List<?> list = (List<?>) messages;
      for (int i = list.size() - 1; i >= 0; i--) {
        Object message = list.get(i);
        if (message instanceof Map && "user".equals(((Map<?, ?>) message).get("role"))) {
          String text = text(((Map<?, ?>) message).get("content"));
          if (text != null) {
            return truncate(text, maxChars);
          }
        }
      }
    }
    return truncate(JsonCodec.write(inputs), maxChars);
  }

  static String response(Object renderedOutputs, int maxChars) {
    if (renderedOutputs == null) {
      return "";
    }
    Object outputs = parsed(renderedOutputs);
    Object choices = outputs instanceof Map ? ((Map<?, ?>) outputs).get("choices") : null;
    if (choices instanceof List && !((List<?>) choices).isEmpty()) {
      Object first = ((List<?>) choices).get(0);
      Object message = first instanceof Map ? ((Map<?, ?>) first).get("message") : null;
      String text = message instanceof Map ? text(((Map<?, ?>) message).get("content")) : null;
      if (text != null) {
        return truncate(text, maxChars);
      }
    }
    return truncate(JsonCodec.write(outputs), maxChars);
  }

  /**
   * The value as JDK maps and lists. The value a text was written from stands for the parsed text
   * when it holds only what parsing gives back the same (maps with string keys, lists, strings,
   * numbers, booleans, nulls): then the text is not parsed again.
   */
  private static Object parsed(Object value) {
    if (!(value instanceof JsonText)) {
      return value;
    }
    Object source = ((JsonText) value).source();
    return source != null && parsesBackTheSame(source, 0) ? source : ((JsonText) value).parse();
  }

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
