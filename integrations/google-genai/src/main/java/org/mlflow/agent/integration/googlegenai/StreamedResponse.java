package org.mlflow.agent.integration.googlegenai;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code GenerateContentResponse} a stream of them adds up to: per candidate, the text of
 * consecutive text parts joined (thoughts apart from the answer) and every other part (a function
 * call, inline data) kept in its place; for every other field, the last value the stream sent, so
 * the usage is the final count and the finish reason the final one.
 */
final class StreamedResponse {

  private StreamedResponse() {}

  /** @param chunks the streamed responses as JDK values, in order */
  static Map<String, Object> assemble(List<Object> chunks) {
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("candidates", null); // first, where the SDK's JSON has it
    Map<Integer, Candidate> candidates = new TreeMap<>();
    for (Object chunk : chunks) {
      if (!(chunk instanceof Map)) {
        continue;
      }
      for (Map.Entry<?, ?> field : ((Map<?, ?>) chunk).entrySet()) {
        if (!"candidates".equals(field.getKey())) {
          response.put(String.valueOf(field.getKey()), field.getValue());
        } else if (field.getValue() instanceof List) {
          List<?> streamed = (List<?>) field.getValue();
          for (int position = 0; position < streamed.size(); position++) {
            addCandidate(candidates, position, streamed.get(position));
          }
        }
      }
    }
    if (candidates.isEmpty()) {
      response.remove("candidates");
    } else {
      List<Object> assembled = new ArrayList<>();
      candidates.values().forEach(candidate -> assembled.add(candidate.assembled()));
      response.put("candidates", assembled);
    }
    return response;
  }

  private static void addCandidate(Map<Integer, Candidate> candidates, int position,
      Object streamed) {
    if (!(streamed instanceof Map)) {
      return;
    }
    Object index = ((Map<?, ?>) streamed).get("index");
    int key = index instanceof Number ? ((Number) index).intValue() : position;
    candidates.computeIfAbsent(key, unused -> new Candidate()).add((Map<?, ?>) streamed);
  }

  /** One candidate's pieces, joined as they arrive. */
  private static final class Candidate {
    private final Map<String, Object> fields = new LinkedHashMap<>();
    private final List<Map<String, Object>> parts = new ArrayList<>();
    private Object role;

    void add(Map<?, ?> streamed) {
      for (Map.Entry<?, ?> field : streamed.entrySet()) {
        String key = String.valueOf(field.getKey());
        if ("content".equals(key) && field.getValue() instanceof Map) {
          addContent((Map<?, ?>) field.getValue());
          fields.putIfAbsent(key, null);
        } else {
          fields.put(key, field.getValue());
        }
      }
    }

    private void addContent(Map<?, ?> content) {
      if (role == null) {
        role = content.get("role");
      }
      if (!(content.get("parts") instanceof List)) {
        return;
      }
      for (Object part : (List<?>) content.get("parts")) {
        if (part instanceof Map) {
          addPart((Map<?, ?>) part);
        }
      }
    }

    private void addPart(Map<?, ?> part) {
      Map<String, Object> last = parts.isEmpty() ? null : parts.get(parts.size() - 1);
      if (last != null && isText(part) && isText(last)
          && Boolean.TRUE.equals(part.get("thought")) == Boolean.TRUE.equals(last.get("thought"))) {
        last.put("text", (String) last.get("text") + part.get("text"));
        part.forEach((key, value) -> last.putIfAbsent(String.valueOf(key), value));
        return;
      }
      Map<String, Object> copy = new LinkedHashMap<>();
      part.forEach((key, value) -> copy.put(String.valueOf(key), value));
      parts.add(copy);
    }

    private static boolean isText(Map<?, ?> part) {
      return part.get("text") instanceof String;
    }

    Map<String, Object> assembled() {
      Map<String, Object> candidate = new LinkedHashMap<>(fields);
      if (candidate.containsKey("content")) {
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("parts", parts);
        if (role != null) {
          content.put("role", role);
        }
        candidate.put("content", content);
      }
      return candidate;
    }
  }
}
