package org.mlflow.agent.integration.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.core.ObjectMappers;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.util.List;
import java.util.Map;
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

  private final ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
      .model("gpt-4o-mini")
      .addUserMessage("Hello?")
      .temperature(0.0)
      .putAdditionalHeader("Authorization", "Bearer sk-must-not-be-read")
      .build();

  @Test
  void readsTheRequestBodyAndTheResponseAsTheSdksJson() throws Exception {
    ChatCompletion completion =
        ObjectMappers.jsonMapper().readValue(COMPLETION, ChatCompletion.class);
    SpanContent content = new SpanContent();

    new ChatCompletionRenderer().render(RecordedSpans.call(params, completion, null), content);

    assertEquals(Map.of("model", "gpt-4o-mini", "temperature", 0.0,
        "messages", List.of(Map.of("role", "user", "content", "Hello?"))), content.inputs());
    // Compared as JSON text: the SDK keeps "created" as a long where a fresh parse gives an int.
    ObjectMapper plain = new ObjectMapper();
    assertEquals(plain.readTree(COMPLETION),
        plain.readTree(plain.writeValueAsString(content.outputs())));
    assertEquals("gpt-4o-mini-2024-07-18", content.model(), "the model that served the call");
    assertEquals("openai", content.provider());
    assertEquals("openai", content.messageFormat());
    assertEquals(9, content.tokenUsage().inputTokens());
    assertEquals(2, content.tokenUsage().outputTokens());
    assertEquals(11, content.tokenUsage().totalTokens());
  }

  @Test
  void aFailedCallStillHasItsInputsAndTheRequestedModel() throws Exception {
    SpanContent content = new SpanContent();

    new ChatCompletionRenderer()
        .render(RecordedSpans.call(params, null, new RuntimeException("401")), content);

    assertEquals("gpt-4o-mini", content.model());
    assertEquals("gpt-4o-mini", ((Map<?, ?>) content.inputs()).get("model"));
    assertNull(content.outputs());
    assertNull(content.tokenUsage());
  }
}
