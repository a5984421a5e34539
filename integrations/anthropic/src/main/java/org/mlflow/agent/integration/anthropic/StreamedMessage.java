package org.mlflow.agent.integration.anthropic;

import static org.mlflow.agent.integration.JdkValues.path;
import static org.mlflow.agent.integration.JdkValues.string;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Adds up the events of a Messages stream, as plain values, into the {@code Message} a
 * non-streamed call would have returned: {@code message_start} gives the message, {@code
 * content_block_start} / {@code _delta} / {@code _stop} its content blocks, {@code message_delta}
 * the stop reason and the final usage (output tokens; input and cache counts stay as {@code
 * message_start} gave them unless the delta repeats them).
 *
 * <p>The events it is given are left untouched (they are also the span's chunks). Unknown event
 * and delta types are skipped, so a newer API adds fields rather than breaking the output.
 */
final class StreamedMessage {

  /** Reads the JSON text of a streamed tool input. */
  interface JsonParser {
    Object parse(String json) throws ReflectiveOperationException;
  }

  private final JsonParser json;
  private Map<Object, Object> message;
  private final Map<Long, Map<Object, Object>> blocks = new TreeMap<>();
  private final Map<Long, StringBuilder> partialInputs = new HashMap<>();

  StreamedMessage(JsonParser json) {
    this.json = json;
  }

  void add(Object event) {
    String type = string(event, "type");
    if (type == null) {
      return;
    }
    switch (type) {
      case "message_start":
        startMessage(path(event, "message"));
        break;
      case "content_block_start":
        Object block = path(event, "content_block");
        if (block instanceof Map) {
          blocks.put(index(event), new LinkedHashMap<>((Map<?, ?>) block));
        }
        break;
      case "content_block_delta":
        addDelta(index(event), path(event, "delta"));
        break;
      case "content_block_stop":
        finishInput(index(event));
        break;
      case "message_delta":
        endMessage(path(event, "delta"), path(event, "usage"));
        break;
      default:
        break;
    }
  }

  /** The message so far, or null when the stream did not get as far as {@code message_start}. */
  Map<Object, Object> result() {
    if (message == null) {
      return null;
    }
    for (Long index : new ArrayList<>(partialInputs.keySet())) {
      finishInput(index); // a stream cut inside a tool input: keep what parses
    }
    message.put("content", new ArrayList<>(blocks.values()));
    return message;
  }

  private void startMessage(Object started) {
    if (!(started instanceof Map)) {
      return;
    }
    message = new LinkedHashMap<>((Map<?, ?>) started);
    Object usage = message.get("usage");
    if (usage instanceof Map) {
      message.put("usage", new LinkedHashMap<>((Map<?, ?>) usage));
    }
    Object content = message.get("content");
    if (content instanceof List) {
      long index = 0;
      for (Object block : (List<?>) content) {
        if (block instanceof Map) {
          blocks.put(index, new LinkedHashMap<>((Map<?, ?>) block));
        }
        index++;
      }
    }
  }

  private void addDelta(long index, Object delta) {
    Map<Object, Object> block = blocks.get(index);
    String type = string(delta, "type");
    if (block == null || type == null) {
      return;
    }
    switch (type) {
      case "text_delta":
        append(block, "text", string(delta, "text"));
        break;
      case "thinking_delta":
        append(block, "thinking", string(delta, "thinking"));
        break;
      case "signature_delta":
        block.put("signature", string(delta, "signature"));
        break;
      case "citations_delta":
        List<Object> citations = new ArrayList<>();
        if (block.get("citations") instanceof List) {
          citations.addAll((List<?>) block.get("citations"));
        }
        citations.add(path(delta, "citation"));
        block.put("citations", citations);
        break;
      case "input_json_delta":
        String fragment = string(delta, "partial_json");
        if (fragment != null) {
          partialInputs.computeIfAbsent(index, i -> new StringBuilder()).append(fragment);
        }
        break;
      default:
        break;
    }
  }

  /** A tool's input arrives as JSON text in pieces; it is an object once the block stops. */
  private void finishInput(long index) {
    StringBuilder text = partialInputs.remove(index);
    Map<Object, Object> block = blocks.get(index);
    if (text == null || block == null || text.length() == 0) {
      return;
    }
    try {
      block.put("input", json.parse(text.toString()));
    } catch (ReflectiveOperationException incomplete) {
      // A cut stream's unfinished input: the block keeps the input it started with.
    }
  }

  private void endMessage(Object delta, Object usage) {
    if (message == null) {
      return;
    }
    if (delta instanceof Map) {
      message.putAll((Map<?, ?>) delta);
    }
    if (usage instanceof Map && message.get("usage") instanceof Map) {
      @SuppressWarnings("unchecked")
      Map<Object, Object> total = (Map<Object, Object>) message.get("usage");
      ((Map<?, ?>) usage).forEach((key, value) -> {
        if (value != null) {
          total.put(key, value);
        }
      });
    }
  }

  private static void append(Map<Object, Object> block, String field, String more) {
    if (more == null) {
      return;
    }
    Object sofar = block.get(field);
    block.put(field, (sofar instanceof String ? (String) sofar : "") + more);
  }

  private static long index(Object event) {
    Object index = path(event, "index");
    return index instanceof Number ? ((Number) index).longValue() : -1;
  }
}
