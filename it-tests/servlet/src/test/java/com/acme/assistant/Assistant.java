package com.acme.assistant;

import com.openai.client.OpenAIClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;

/**
 * The application's own class around its model calls, with no tracing code (outside
 * {@code org.mlflow.agent}, whose classes the agent never instruments).
 */
public class Assistant {

  public static final String MODEL = "gpt-4o-mini";

  /** What the assistant answers. */
  public record Reply(String text, long tokens) {}

  private final OpenAIClient client;

  public Assistant(OpenAIClient client) {
    this.client = client;
  }

  public Reply answer(String question, int attempts) {
    ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
        .model(MODEL)
        .addUserMessage(question)
        .build();
    ChatCompletion completion = client.chat().completions().create(params);
    return new Reply(completion.choices().get(0).message().content().orElse(""),
        completion.usage().map(usage -> usage.totalTokens()).orElse(0L));
  }

  public String refuse(String question) {
    throw new IllegalStateException("refused: " + question);
  }

  /** A getter: `Assistant#*` leaves it untraced. */
  public String getModel() {
    return MODEL;
  }
}
