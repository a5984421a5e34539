package org.mlflow.agent.integration.bedrock;

import java.util.List;
import java.util.Map;
import org.mlflow.agent.integration.TokenUsage;

/**
 * Token usage as MLflow's Python Bedrock autolog reads it, from a Converse {@code usage} or from a
 * model's own response body (InvokeModel): each count under any of the names the model families
 * use, and both the input and the output count required.
 *
 * <p>Bedrock counts input tokens without those read from or written to the prompt cache; as
 * MLflow does, they are added to the input count and the total is recomputed, so that usage means
 * the same for every provider.
 */
final class BedrockUsage {

  private static final List<String> INPUT = List.of(
      "input_tokens", "inputTokens", "prompt_tokens", "promptTokens", "prompt_token_count");
  private static final List<String> OUTPUT = List.of(
      "output_tokens", "outputTokens", "completion_tokens", "completionTokens",
      "generation_token_count");
  private static final List<String> TOTAL = List.of("total_tokens", "totalTokens");
  private static final List<String> CACHE_READ = List.of(
      "cache_read_input_tokens", "cacheReadInputTokens", "cacheReadInputTokenCount");
  private static final List<String> CACHE_WRITE = List.of(
      "cache_creation_input_tokens", "cacheWriteInputTokens", "cacheWriteInputTokenCount");

  private BedrockUsage() {}

  /** The usage in {@code counts}, or null unless it has both an input and an output count. */
  static TokenUsage from(Object counts) {
    if (!(counts instanceof Map)) {
      return null;
    }
    Map<?, ?> usage = (Map<?, ?>) counts;
    Long input = first(usage, INPUT);
    Long output = first(usage, OUTPUT);
    if (input == null || output == null) {
      return null;
    }
    Long cacheRead = first(usage, CACHE_READ);
    Long cacheWrite = first(usage, CACHE_WRITE);
    long cached = (cacheRead == null ? 0 : cacheRead) + (cacheWrite == null ? 0 : cacheWrite);
    if (cached > 0) {
      return TokenUsage.of(input + cached, output, null).withCacheTokens(cacheRead, cacheWrite);
    }
    return TokenUsage.of(input, output, first(usage, TOTAL)).withCacheTokens(cacheRead, cacheWrite);
  }

  /** A model's response body: its {@code usage} object, or counts at the top (Meta Llama). */
  static TokenUsage fromBody(Object body) {
    if (!(body instanceof Map)) {
      return null;
    }
    Object usage = ((Map<?, ?>) body).get("usage");
    return usage instanceof Map && !((Map<?, ?>) usage).isEmpty() ? from(usage) : from(body);
  }

  private static Long first(Map<?, ?> usage, List<String> names) {
    for (String name : names) {
      Object value = usage.get(name);
      if (value instanceof Integer || value instanceof Long) {
        return ((Number) value).longValue();
      }
    }
    return null;
  }
}
