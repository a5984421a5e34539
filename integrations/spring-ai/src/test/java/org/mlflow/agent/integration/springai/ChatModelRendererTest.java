package org.mlflow.agent.integration.springai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.integration.RecordedSpans;
import org.mlflow.agent.integration.SpanContent;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;

class ChatModelRendererTest {

  private static final AssistantMessage.ToolCall WEATHER_CALL =
      new AssistantMessage.ToolCall("call_1", "function", "get_weather", "{\"city\":\"Paris\"}");

  private static ChatResponse response(String text, String finishReason, DefaultUsage usage) {
    return new ChatResponse(
        List.of(new Generation(new AssistantMessage(text),
            ChatGenerationMetadata.builder().finishReason(finishReason).build())),
        ChatResponseMetadata.builder().id("chatcmpl-1").model("gpt-4o-mini-2024-07-18")
            .usage(usage).build());
  }

  private static SpanContent render(Span span, boolean streamed) throws Exception {
    SpanContent content = new SpanContent();
    new ChatModelRenderer(new ChatMessages(), streamed).render(span, content);
    return content;
  }

  @Test
  void aPromptIsOpenAiMessagesAndTheResponseAChatCompletion() throws Exception {
    Prompt prompt = new Prompt(List.of(
        new SystemMessage("Be brief."),
        new UserMessage("Weather in Paris?"),
        AssistantMessage.builder().content("").toolCalls(List.of(WEATHER_CALL)).build(),
        ToolResponseMessage.builder().responses(List.of(
            new ToolResponseMessage.ToolResponse("call_1", "get_weather", "sunny"))).build()));
    Span span = RecordedSpans.call(new Object[] {prompt, new Object()},
        response("It is sunny.", "STOP", new DefaultUsage(40, 8)), null);

    SpanContent content = render(span, false);

    assertEquals(Map.of("messages", List.of(
            Map.of("role", "system", "content", "Be brief."),
            Map.of("role", "user", "content", "Weather in Paris?"),
            Map.of("role", "assistant", "content", "", "tool_calls", List.of(Map.of(
                "id", "call_1", "type", "function",
                "function", Map.of("name", "get_weather", "arguments", "{\"city\":\"Paris\"}")))),
            Map.of("role", "tool", "tool_call_id", "call_1", "name", "get_weather",
                "content", "sunny"))),
        content.inputs());
    assertEquals(Map.of("id", "chatcmpl-1", "object", "chat.completion",
            "model", "gpt-4o-mini-2024-07-18",
            "choices", List.of(Map.of("index", 0, "finish_reason", "stop",
                "message", Map.of("role", "assistant", "content", "It is sunny."))),
            "usage", Map.of("prompt_tokens", 40L, "completion_tokens", 8L, "total_tokens", 48L)),
        content.outputs());
    assertEquals("openai", content.messageFormat());
    assertEquals("gpt-4o-mini-2024-07-18", content.model());
    assertEquals(48, content.tokenUsage().totalTokens());
    assertNull(content.provider(), "a model class outside Spring AI names no provider");
  }

  @Test
  void aStreamIsItsChunksAndTheAnswerTheyAddUpTo() throws Exception {
    Span span = RecordedSpans.stream(new Object[] {new Prompt("Hi"), new Object()}, List.of(
        response("Hel", null, new DefaultUsage(0, 0)),
        response("lo", "STOP", new DefaultUsage(0, 0)),
        response("", null, new DefaultUsage(5, 2))));

    SpanContent content = render(span, true);

    assertEquals(3, content.chunks().size());
    assertEquals("chat.completion.chunk", ((Map<?, ?>) content.chunks().get(0)).get("object"));
    Map<?, ?> outputs = (Map<?, ?>) content.outputs();
    Map<?, ?> choice = (Map<?, ?>) ((List<?>) outputs.get("choices")).get(0);
    assertEquals(Map.of("role", "assistant", "content", "Hello"), choice.get("message"));
    assertEquals("stop", choice.get("finish_reason"));
    assertEquals(7, content.tokenUsage().totalTokens(), "chunks without usage report zeros");
  }
}
