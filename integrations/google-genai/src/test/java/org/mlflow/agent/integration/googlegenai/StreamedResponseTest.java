package org.mlflow.agent.integration.googlegenai;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StreamedResponseTest {

  private static Map<String, Object> chunk(Object parts, Map<String, Object> more) {
    Map<String, Object> candidate = new java.util.LinkedHashMap<>();
    candidate.put("content", Map.of("parts", parts, "role", "model"));
    candidate.put("index", 0);
    candidate.putAll(more);
    return Map.of("candidates", List.of(candidate), "modelVersion", "gemini-2.0-flash-001");
  }

  @Test
  void joinsTheTextOfEachCandidateAndKeepsTheLastOfEverythingElse() {
    List<Object> chunks = List.of(
        chunk(List.of(Map.of("text", "thinking...", "thought", true)), Map.of()),
        chunk(List.of(Map.of("text", "MLflow is ")), Map.of()),
        chunk(List.of(Map.of("text", "an open source "), Map.of("text", "platform.")), Map.of()),
        chunk(List.of(Map.of("functionCall", Map.of("name", "lookup", "args", Map.of()))),
            Map.of("finishReason", "STOP")),
        Map.of("usageMetadata", Map.of("promptTokenCount", 5, "candidatesTokenCount", 9,
            "totalTokenCount", 14)));

    Map<String, Object> response = StreamedResponse.assemble(chunks);

    assertEquals(List.of("candidates", "modelVersion", "usageMetadata"),
        List.copyOf(response.keySet()));
    assertEquals(List.of(Map.of(
        "content", Map.of("role", "model", "parts", List.of(
            Map.of("text", "thinking...", "thought", true),
            Map.of("text", "MLflow is an open source platform."),
            Map.of("functionCall", Map.of("name", "lookup", "args", Map.of())))),
        "index", 0,
        "finishReason", "STOP")), response.get("candidates"));
    assertEquals(14L, GeminiUsage.of(response).totalTokens());
  }

  @Test
  void keepsCandidatesApartByTheirIndex() {
    Map<String, Object> first = Map.of("candidates", List.of(
        Map.of("index", 0, "content", Map.of("parts", List.of(Map.of("text", "a")))),
        Map.of("index", 1, "content", Map.of("parts", List.of(Map.of("text", "x"))))));
    Map<String, Object> second = Map.of("candidates", List.of(
        Map.of("index", 1, "content", Map.of("parts", List.of(Map.of("text", "y"))))));

    Map<String, Object> response = StreamedResponse.assemble(List.of(first, second));

    assertEquals(List.of(
        Map.of("index", 0, "content", Map.of("parts", List.of(Map.of("text", "a")))),
        Map.of("index", 1, "content", Map.of("parts", List.of(Map.of("text", "xy"))))),
        response.get("candidates"));
  }
}
