package org.mlflow.agent.integration.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The delta types beyond text and tool input, on plain values. */
class StreamedMessageTest {

  private final StreamedMessage message = new StreamedMessage(json -> {
    throw new AssertionError("no tool input here");
  });

  private static Map<String, Object> delta(int index, Map<String, Object> delta) {
    return Map.of("type", "content_block_delta", "index", index, "delta", delta);
  }

  @Test
  void thinkingSignaturesAndCitationsAddUp() {
    Map<String, Object> citation = Map.of("type", "char_location", "cited_text", "Paris");
    message.add(Map.of("type", "message_start", "message",
        Map.of("id", "msg_01", "content", List.of(), "usage", Map.of("input_tokens", 3))));
    message.add(Map.of("type", "content_block_start", "index", 0,
        "content_block", Map.of("type", "thinking", "thinking", "", "signature", "")));
    message.add(delta(0, Map.of("type", "thinking_delta", "thinking", "Paris is ")));
    message.add(delta(0, Map.of("type", "thinking_delta", "thinking", "in France.")));
    message.add(delta(0, Map.of("type", "signature_delta", "signature", "sig")));
    message.add(Map.of("type", "content_block_start", "index", 1,
        "content_block", Map.of("type", "text", "text", "")));
    message.add(delta(1, Map.of("type", "citations_delta", "citation", citation)));
    message.add(delta(1, Map.of("type", "some_future_delta", "x", 1)));
    message.add(Map.of("type", "ping"));

    assertEquals(List.of(
            Map.of("type", "thinking", "thinking", "Paris is in France.", "signature", "sig"),
            Map.of("type", "text", "text", "", "citations", List.of(citation))),
        message.result().get("content"));
  }

  @Test
  void nothingBeforeMessageStartMeansNoMessage() {
    message.add(Map.of("type", "content_block_start", "index", 0,
        "content_block", Map.of("type", "text", "text", "")));
    assertNull(message.result());
  }
}
