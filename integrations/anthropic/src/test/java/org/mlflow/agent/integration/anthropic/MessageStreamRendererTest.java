package org.mlflow.agent.integration.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.mlflow.agent.integration.anthropic.MessageRendererTest.json;

import com.anthropic.core.ObjectMappers;
import com.anthropic.models.messages.RawMessageStreamEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.integration.RecordedSpans;
import org.mlflow.agent.integration.SpanContent;

/** A streamed call: each event a chunk, the outputs the Message the events add up to. */
class MessageStreamRendererTest {

  /** The data lines of a real Messages stream: text, then a tool call in JSON pieces. */
  static final List<String> EVENTS = List.of(
      "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_01\",\"type\":\"message\","
          + "\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[],"
          + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":25,"
          + "\"cache_creation_input_tokens\":200,\"cache_read_input_tokens\":1000,"
          + "\"output_tokens\":1}}}",
      "{\"type\":\"content_block_start\",\"index\":0,"
          + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
      "{\"type\":\"content_block_delta\",\"index\":0,"
          + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Let me \"}}",
      "{\"type\":\"content_block_delta\",\"index\":0,"
          + "\"delta\":{\"type\":\"text_delta\",\"text\":\"look.\"}}",
      "{\"type\":\"content_block_stop\",\"index\":0}",
      "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\","
          + "\"id\":\"toolu_01\",\"name\":\"get_weather\",\"input\":{}}}",
      "{\"type\":\"content_block_delta\",\"index\":1,"
          + "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\": \"}}",
      "{\"type\":\"content_block_delta\",\"index\":1,"
          + "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\\\"Paris\\\"}\"}}",
      "{\"type\":\"content_block_stop\",\"index\":1}",
      "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\","
          + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":40}}",
      "{\"type\":\"message_stop\"}");

  static final String REASSEMBLED = MessageRendererTest.MESSAGE.replace(
      "\"text\":\"Let me look.\",\"citations\":null", "\"text\":\"Let me look.\"");

  private final MessageStreamRenderer renderer = new MessageStreamRenderer(new MessageContent());

  static List<RawMessageStreamEvent> events(List<String> data) {
    return data.stream().map(json -> {
      try {
        return ObjectMappers.jsonMapper().readValue(json, RawMessageStreamEvent.class);
      } catch (IOException invalid) {
        throw new UncheckedIOException(invalid);
      }
    }).collect(Collectors.toList());
  }

  @Test
  void theEventsAddUpToTheMessageAndEachIsAChunk() throws Exception {
    SpanContent content = new SpanContent();

    renderer.render(RecordedSpans.stream(MessageRendererTest.PARAMS, events(EVENTS)), content);

    assertEquals(json(REASSEMBLED), json(content.outputs()));
    List<Object> chunks = content.chunks();
    assertEquals(EVENTS.size(), chunks.size());
    for (int i = 0; i < EVENTS.size(); i++) {
      assertEquals(json(EVENTS.get(i)), json(chunks.get(i)));
    }
    assertEquals("claude-sonnet-4-5-20250929", content.model());
    assertEquals("anthropic", content.messageFormat());
    assertEquals(1, content.tools().size());
  }

  @Test
  void usageIsTheStartsInputAndCacheCountsWithTheDeltasOutputCount() throws Exception {
    SpanContent content = new SpanContent();

    renderer.render(RecordedSpans.stream(MessageRendererTest.PARAMS, events(EVENTS)), content);

    assertEquals(1225, content.tokenUsage().inputTokens());
    assertEquals(40, content.tokenUsage().outputTokens());
    assertEquals(1265, content.tokenUsage().totalTokens());
    assertEquals(1000L, content.tokenUsage().cacheReadInputTokens());
    assertEquals(200L, content.tokenUsage().cacheCreationInputTokens());
  }

  @Test
  void theInputsAreTheBodyTheSdkSentForAStream() throws Exception {
    SpanContent content = new SpanContent();

    renderer.render(RecordedSpans.stream(MessageRendererTest.PARAMS, events(EVENTS)), content);

    assertEquals(true, ((Map<?, ?>) content.inputs()).get("stream"));
    assertEquals("claude-sonnet-4-5", ((Map<?, ?>) content.inputs()).get("model"));
  }

  @Test
  void aStreamCutInsideAToolInputKeepsWhatArrived() throws Exception {
    SpanContent content = new SpanContent();
    List<String> cut = new ArrayList<>(EVENTS.subList(0, 7));

    renderer.render(RecordedSpans.stream(MessageRendererTest.PARAMS, events(cut)), content);

    Map<?, ?> message = (Map<?, ?>) content.outputs();
    assertEquals(List.of(
            Map.of("type", "text", "text", "Let me look."),
            Map.of("type", "tool_use", "id", "toolu_01", "name", "get_weather", "input", Map.of())),
        message.get("content"));
    assertNull(message.get("stop_reason"));
    assertEquals(1, content.tokenUsage().outputTokens(), "only message_start's count arrived");
    assertEquals(7, content.chunks().size());
  }

  @Test
  void aStreamThatFailedBeforeItsFirstEventHasInputsOnly() throws Exception {
    SpanContent content = new SpanContent();

    renderer.render(RecordedSpans.stream(MessageRendererTest.PARAMS, List.of()), content);

    assertEquals("claude-sonnet-4-5", content.model());
    assertNull(content.outputs());
    assertNull(content.tokenUsage());
    assertEquals(List.of(), content.chunks());
  }
}
