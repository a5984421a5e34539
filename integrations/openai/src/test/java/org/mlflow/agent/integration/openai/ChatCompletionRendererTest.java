package org.mlflow.agent.integration.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mlflow.agent.integration.openai.Sdk.asJson;
import static org.mlflow.agent.integration.openai.Sdk.json;

import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.integration.RecordedSpans;
import org.mlflow.agent.integration.SpanContent;

/** The renderer against the real SDK's objects (the agent reads them reflectively). */
class ChatCompletionRendererTest {

  private static final String COMPLETION = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\","
      + "\"created\":1,\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,"
      + "\"message\":{\"role\":\"assistant\",\"content\":\"Hi!\",\"refusal\":null},"
      + "\"logprobs\":null,\"finish_reason\":\"stop\"}],"
      + "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2,\"total_tokens\":11}}";

  private static final OpenAIClient CLIENT = Sdk.openAi();

  private final ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
      .model("gpt-4o-mini")
      .addUserMessage("Hello?")
      .temperature(0.0)
      .putAdditionalHeader("Authorization", "Bearer sk-must-not-be-read")
      .build();

  @AfterAll
  static void close() {
    CLIENT.close();
  }

  private static Object[] captured(ChatCompletionCreateParams params) {
    return new Object[] {params, CLIENT.chat().completions().withRawResponse()};
  }

  private static SpanContent render(boolean streamed, org.mlflow.agent.bootstrap.Span span)
      throws Exception {
    SpanContent content = new SpanContent();
    new ChatCompletionRenderer(Sdk.JSON, streamed).render(span, content);
    return content;
  }

  @Test
  void readsTheRequestBodyAndTheResponseAsTheSdksJson() throws Exception {
    ChatCompletion completion = Sdk.parse(COMPLETION, ChatCompletion.class);

    SpanContent content = render(false, RecordedSpans.call(captured(params), completion, null));

    assertEquals(Map.of("model", "gpt-4o-mini", "temperature", 0.0,
        "messages", List.of(Map.of("role", "user", "content", "Hello?"))), content.inputs());
    // Compared as JSON: the SDK keeps "created" as a long where a fresh parse gives an int.
    assertEquals(json(COMPLETION), asJson(content.outputs()));
    assertEquals("gpt-4o-mini-2024-07-18", content.model(), "the model that served the call");
    assertEquals("openai", content.provider());
    assertEquals("openai", content.messageFormat());
    assertEquals(9, content.tokenUsage().inputTokens());
    assertEquals(2, content.tokenUsage().outputTokens());
    assertEquals(11, content.tokenUsage().totalTokens());
    assertNull(content.tokenUsage().cacheReadInputTokens());
    assertNull(content.tools());
    assertTrue(content.chunks().isEmpty());
  }

  @Test
  void aFailedCallStillHasItsInputsAndTheRequestedModel() throws Exception {
    SpanContent content = render(false,
        RecordedSpans.call(captured(params), null, new RuntimeException("401")));

    assertEquals("gpt-4o-mini", content.model());
    assertEquals("gpt-4o-mini", ((Map<?, ?>) content.inputs()).get("model"));
    assertNull(content.outputs());
    assertNull(content.tokenUsage());
  }

  @Test
  void offeredToolsAreRecordedAndTheToolCallsAndCachedTokensComeFromTheResponse()
      throws Exception {
    ChatCompletionCreateParams withTools = params.toBuilder()
        .addTool(ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder()
            .name("get_weather")
            .description("The weather in a city")
            .parameters(FunctionParameters.builder()
                .putAdditionalProperty("type", JsonValue.from("object"))
                .putAdditionalProperty("properties",
                    JsonValue.from(Map.of("city", Map.of("type", "string"))))
                .build())
            .build()).build())
        .build();
    String toolCall = "{\"id\":\"chatcmpl-2\",\"object\":\"chat.completion\",\"created\":2,"
        + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"message\":{\"role\":"
        + "\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
        + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]},"
        + "\"finish_reason\":\"tool_calls\"}],\"usage\":{\"prompt_tokens\":50,\"completion_tokens\":"
        + "10,\"total_tokens\":60,\"prompt_tokens_details\":{\"cached_tokens\":32}}}";

    SpanContent content = render(false, RecordedSpans.call(captured(withTools),
        Sdk.parse(toolCall, ChatCompletion.class), null));

    assertEquals(json("[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
        + "\"description\":\"The weather in a city\",\"parameters\":{\"type\":\"object\","
        + "\"properties\":{\"city\":{\"type\":\"string\"}}}}}]"), asJson(content.tools()));
    assertEquals(json(toolCall), asJson(content.outputs()));
    assertEquals(32L, content.tokenUsage().cacheReadInputTokens());
    assertEquals(60, content.tokenUsage().totalTokens());
  }

  @Test
  void aStreamRecordsEachChunkAndReassemblesTheCompletionWithTheUsageOfTheLastChunk()
      throws Exception {
    ChatCompletionCreateParams streaming = params.toBuilder()
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
    List<String> chunks = List.of(
        chunk("{\"role\":\"assistant\",\"content\":\"\"}", null),
        chunk("{\"content\":\"Hi \"}", null),
        chunk("{\"content\":\"there!\"}", null),
        chunk("{}", "\"stop\""),
        "{\"id\":\"chatcmpl-3\",\"object\":\"chat.completion.chunk\",\"created\":3,\"model\":"
            + "\"gpt-4o-mini-2024-07-18\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,"
            + "\"completion_tokens\":3,\"total_tokens\":12}}");

    SpanContent content = render(true, RecordedSpans.stream(captured(streaming),
        Sdk.parseAll(chunks, ChatCompletionChunk.class)));

    assertEquals(json("{\"model\":\"gpt-4o-mini\",\"temperature\":0.0,\"messages\":[{\"role\":"
        + "\"user\",\"content\":\"Hello?\"}],\"stream_options\":{\"include_usage\":true},"
        + "\"stream\":true}"), asJson(content.inputs()), "the body the SDK sends when it streams");
    assertEquals(5, content.chunks().size());
    assertEquals(json(chunks.get(1)), asJson(content.chunks().get(1)));
    assertEquals(json("{\"id\":\"chatcmpl-3\",\"object\":\"chat.completion\",\"created\":3,"
        + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"message\":{\"role\":"
        + "\"assistant\",\"content\":\"Hi there!\"},\"finish_reason\":\"stop\"}],\"usage\":"
        + "{\"prompt_tokens\":9,\"completion_tokens\":3,\"total_tokens\":12}}"),
        asJson(content.outputs()));
    assertEquals("gpt-4o-mini-2024-07-18", content.model());
    assertEquals(12, content.tokenUsage().totalTokens());
  }

  @Test
  void aStreamClosedBeforeItsFirstChunkHasInputsOnly() throws Exception {
    SpanContent content = render(true, RecordedSpans.stream(captured(params), List.of()));

    assertEquals(true, ((Map<?, ?>) content.inputs()).get("stream"));
    assertNull(content.outputs());
    assertNull(content.tokenUsage());
  }

  private static String chunk(String delta, String finishReason) {
    return "{\"id\":\"chatcmpl-3\",\"object\":\"chat.completion.chunk\",\"created\":3,\"model\":"
        + "\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"delta\":" + delta
        + ",\"finish_reason\":" + finishReason + "}]}";
  }
}
