package org.mlflow.agent.integration.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.integration.RecordedSpans;
import org.mlflow.agent.integration.SpanContent;

class ChatRendererTest {

  /** A chat model of the application's own, as LangChain4j's providers are built. */
  static final class AppChatModel implements ChatModel {
    @Override
    public ChatResponse doChat(ChatRequest request) {
      throw new UnsupportedOperationException();
    }
  }

  private static final ToolExecutionRequest TOOL_CALL = ToolExecutionRequest.builder()
      .id("call_1").name("weather").arguments("{\"city\":\"Paris\"}").build();

  private static ChatRequest request() {
    return ChatRequest.builder()
        .messages(SystemMessage.from("Be brief."), UserMessage.from("Weather in Paris?"),
            AiMessage.from(TOOL_CALL), ToolExecutionResultMessage.from(TOOL_CALL, "sunny"))
        .toolSpecifications(ToolSpecification.builder().name("weather")
            .description("Weather of a city")
            .parameters(JsonObjectSchema.builder().addStringProperty("city")
                .required(List.of("city")).build())
            .build())
        .modelName("gpt-test")
        .build();
  }

  private static SpanContent render(boolean streamed, Object response, List<?> chunks)
      throws Exception {
    Object[] call = {request(), new AppChatModel()};
    SpanContent content = new SpanContent();
    new ChatRenderer(streamed).render(streamed ? RecordedSpans.stream(call, chunks)
        : RecordedSpans.call(call, response, null), content);
    return content;
  }

  @Test
  void aChatCallReadsAsAnOpenAiChatCompletion() throws Exception {
    ChatResponse response = ChatResponse.builder().id("r1").modelName("gpt-test-0613")
        .aiMessage(AiMessage.from("Sunny.")).tokenUsage(new TokenUsage(30, 4))
        .finishReason(FinishReason.STOP).build();

    SpanContent content = render(false, response, null);

    assertEquals("AppChatModel", content.spanName());
    assertEquals("openai", content.messageFormat());
    assertNull(content.provider(), "ModelProvider.OTHER names no provider");
    assertEquals("gpt-test-0613", content.model());
    List<Object> tools = List.of(Map.of("type", "function", "function", Map.of(
        "name", "weather", "description", "Weather of a city", "parameters", Map.of(
            "type", "object", "properties", Map.of("city", Map.of("type", "string")),
            "required", List.of("city")))));
    assertEquals(tools, content.tools());
    Map<String, Object> toolCall = Map.of("id", "call_1", "type", "function",
        "function", Map.of("name", "weather", "arguments", "{\"city\":\"Paris\"}"));
    Map<String, Object> assistantCall = new java.util.LinkedHashMap<>();
    assistantCall.put("role", "assistant");
    assistantCall.put("content", null);
    assistantCall.put("tool_calls", List.of(toolCall));
    assertEquals(Map.of("model", "gpt-test", "tools", tools, "messages", List.of(
            Map.of("role", "system", "content", "Be brief."),
            Map.of("role", "user", "content", "Weather in Paris?"),
            assistantCall,
            Map.of("role", "tool", "tool_call_id", "call_1", "name", "weather",
                "content", "sunny"))),
        content.inputs());
    assertEquals(Map.of("id", "r1", "object", "chat.completion", "model", "gpt-test-0613",
            "choices", List.of(Map.of("index", 0, "finish_reason", "stop",
                "message", Map.of("role", "assistant", "content", "Sunny."))),
            "usage", Map.of("prompt_tokens", 30, "completion_tokens", 4, "total_tokens", 34)),
        content.outputs());
    assertEquals(34, content.tokenUsage().totalTokens(), "the total computed when not given");
  }

  @Test
  void aStreamedCallRecordsEachPartialResponseText() throws Exception {
    SpanContent content = render(true, null, List.of("Sun", "ny."));

    assertEquals(List.of("Sun", "ny."), content.chunks());
    assertNull(content.outputs(), "no complete response came");
    assertEquals("gpt-test", content.model());
  }
}
