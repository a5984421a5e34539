package org.mlflow.agent.integration.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.anthropic.core.JsonValue;
import com.anthropic.core.ObjectMappers;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.Tool;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.integration.RecordedSpans;
import org.mlflow.agent.integration.SpanContent;

/** The renderer against the real SDK's objects (the agent reads them reflectively). */
class MessageRendererTest {

  static final String MESSAGE = "{\"id\":\"msg_01\",\"type\":\"message\",\"role\":\"assistant\","
      + "\"model\":\"claude-sonnet-4-5-20250929\",\"content\":["
      + "{\"type\":\"text\",\"text\":\"Let me look.\",\"citations\":null},"
      + "{\"type\":\"tool_use\",\"id\":\"toolu_01\",\"name\":\"get_weather\","
      + "\"input\":{\"city\":\"Paris\"}}],"
      + "\"stop_reason\":\"tool_use\",\"stop_sequence\":null,"
      + "\"usage\":{\"input_tokens\":25,\"output_tokens\":40,"
      + "\"cache_creation_input_tokens\":200,\"cache_read_input_tokens\":1000}}";

  static final MessageCreateParams PARAMS = MessageCreateParams.builder()
      .model("claude-sonnet-4-5")
      .maxTokens(1024)
      .system("You are terse.")
      .addUserMessage("Weather in Paris?")
      .addTool(Tool.builder()
          .name("get_weather")
          .description("Current weather of a city")
          .inputSchema(Tool.InputSchema.builder()
              .properties(JsonValue.from(Map.of("city", Map.of("type", "string"))))
              .addRequired("city")
              .build())
          .build())
      .putAdditionalHeader("x-api-key", "sk-ant-must-not-be-read")
      .build();

  private final MessageRenderer renderer = new MessageRenderer(new MessageContent());

  /**
   * JSON text or plain values as a tree, compared by value: the SDK keeps counts as longs where
   * a fresh parse gives ints.
   */
  static JsonNode json(Object value) throws Exception {
    ObjectMapper plain = new ObjectMapper();
    String text = value instanceof String ? (String) value : plain.writeValueAsString(value);
    return plain.readTree(text);
  }

  @Test
  void readsTheRequestBodyAndTheMessageAsTheSdksJson() throws Exception {
    Message message = ObjectMappers.jsonMapper().readValue(MESSAGE, Message.class);
    SpanContent content = new SpanContent();

    renderer.render(RecordedSpans.call(PARAMS, message, null), content);

    assertEquals(json("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":1024,"
            + "\"system\":\"You are terse.\","
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Paris?\"}],"
            + "\"tools\":[{\"name\":\"get_weather\",\"description\":\"Current weather of a city\","
            + "\"input_schema\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},"
            + "\"required\":[\"city\"]}}]}"),
        json(content.inputs()));
    assertEquals(json(MESSAGE), json(content.outputs()));
    assertEquals("claude-sonnet-4-5-20250929", content.model(), "the model that served the call");
    assertEquals("anthropic", content.provider());
    assertEquals("anthropic", content.messageFormat());
    assertEquals(List.of(Map.of("type", "function", "function", Map.of(
            "name", "get_weather",
            "description", "Current weather of a city",
            "parameters", Map.of("type", "object",
                "properties", Map.of("city", Map.of("type", "string")),
                "required", List.of("city"))))),
        content.tools());
  }

  @Test
  void usageCountsCachedInputAsMlflowsAutologDoesAndKeepsTheCacheCounts() throws Exception {
    Message message = ObjectMappers.jsonMapper().readValue(MESSAGE, Message.class);
    SpanContent content = new SpanContent();

    renderer.render(RecordedSpans.call(PARAMS, message, null), content);

    assertEquals(25 + 200 + 1000, content.tokenUsage().inputTokens());
    assertEquals(40, content.tokenUsage().outputTokens());
    assertEquals(25 + 200 + 1000 + 40, content.tokenUsage().totalTokens());
    assertEquals(1000L, content.tokenUsage().cacheReadInputTokens());
    assertEquals(200L, content.tokenUsage().cacheCreationInputTokens());
  }

  @Test
  void withoutCacheCountsTheUsageHasNone() throws Exception {
    Message message = ObjectMappers.jsonMapper().readValue(MESSAGE.replace(
        ",\"cache_creation_input_tokens\":200,\"cache_read_input_tokens\":1000", ""),
        Message.class);
    SpanContent content = new SpanContent();

    renderer.render(RecordedSpans.call(PARAMS, message, null), content);

    assertEquals(25, content.tokenUsage().inputTokens());
    assertEquals(65, content.tokenUsage().totalTokens());
    assertNull(content.tokenUsage().cacheReadInputTokens());
    assertNull(content.tokenUsage().cacheCreationInputTokens());
  }

  @Test
  void aFailedCallStillHasItsInputsAndTheRequestedModel() throws Exception {
    SpanContent content = new SpanContent();

    renderer.render(RecordedSpans.call(PARAMS, null, new RuntimeException("401")), content);

    assertEquals("claude-sonnet-4-5", content.model());
    assertEquals("claude-sonnet-4-5", ((Map<?, ?>) content.inputs()).get("model"));
    assertNull(content.outputs());
    assertNull(content.tokenUsage());
  }
}
