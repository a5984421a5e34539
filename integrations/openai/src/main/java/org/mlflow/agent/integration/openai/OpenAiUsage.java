package org.mlflow.agent.integration.openai;

import static org.mlflow.agent.integration.JdkValues.number;

import org.mlflow.agent.integration.TokenUsage;

/** Token usage from the {@code usage} object of each OpenAI API, as MLflow's autolog reads it. */
final class OpenAiUsage {

  private OpenAiUsage() {}

  /** Chat completions: {@code prompt_tokens}, {@code completion_tokens}, cached prompt tokens. */
  static TokenUsage ofChatCompletion(Object usage) {
    Long prompt = number(usage, "prompt_tokens");
    Long completion = number(usage, "completion_tokens");
    if (prompt == null || completion == null) {
      return null;
    }
    return TokenUsage.of(prompt, completion, number(usage, "total_tokens"))
        .withCacheTokens(number(usage, "prompt_tokens_details", "cached_tokens"), null);
  }

  /** The Responses API: {@code input_tokens}, {@code output_tokens}, cached input tokens. */
  static TokenUsage ofResponse(Object usage) {
    Long input = number(usage, "input_tokens");
    Long output = number(usage, "output_tokens");
    if (input == null || output == null) {
      return null;
    }
    return TokenUsage.of(input, output, number(usage, "total_tokens"))
        .withCacheTokens(number(usage, "input_tokens_details", "cached_tokens"), null);
  }

  /** Embeddings: only {@code prompt_tokens} (the input) and their total; nothing is generated. */
  static TokenUsage ofEmbedding(Object usage) {
    Long prompt = number(usage, "prompt_tokens");
    return prompt == null ? null : TokenUsage.of(prompt, 0, number(usage, "total_tokens"));
  }
}
