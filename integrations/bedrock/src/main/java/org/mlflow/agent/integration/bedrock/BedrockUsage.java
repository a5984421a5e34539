package org.mlflow.agent.integration.bedrock;

import java.util.List;
import java.util.Map;
import org.mlflow.agent.integration.JdkValues;
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

  /**
   * The usage a model's streamed chunks report: each count as the last chunk that has it gives it
   * (Anthropic sends the input count in {@code message_start}, the output count in {@code
   * message_delta}); failing that, Bedrock's {@code amazon-bedrock-invocationMetrics}.
   */
  static TokenUsage fromChunks(List<Object> chunks) {
    Map<String, Object> counts = new java.util.LinkedHashMap<>();
    Map<?, ?> invocationMetrics = null;
    for (Object chunk : chunks) {
      if (!(chunk instanceof Map)) {
        continue;
      }
      Map<?, ?> fields = (Map<?, ?>) chunk;
      Object usage = "message_start".equals(fields.get("type"))
          ? JdkValues.path(fields, "message", "usage") : fields.get("usage");
      if (usage instanceof Map) {
        ((Map<?, ?>) usage).forEach((key, value) -> counts.put(String.valueOf(key), value));
      }
      Object metrics = fields.get("amazon-bedrock-invocationMetrics");
      if (metrics instanceof Map) {
        invocationMetrics = (Map<?, ?>) metrics;
      }
    }
    TokenUsage usage = from(counts);
    if (usage == null && invocationMetrics != null) {
      Long input = first(invocationMetrics, List.of("inputTokenCount"));
      Long output = first(invocationMetrics, List.of("outputTokenCount"));
      usage = input == null || output == null ? null : TokenUsage.of(input, output, null);
    }
    return usage;
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
