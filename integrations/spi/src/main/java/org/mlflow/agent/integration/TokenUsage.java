package org.mlflow.agent.integration;

/** Tokens one model call consumed. The total is computed when the provider does not give it. */
public final class TokenUsage {

  private final long inputTokens;
  private final long outputTokens;
  private final long totalTokens;
  private final Long cacheReadInputTokens;

  private TokenUsage(long inputTokens, long outputTokens, long totalTokens,
      Long cacheReadInputTokens) {
    this.inputTokens = inputTokens;
    this.outputTokens = outputTokens;
    this.totalTokens = totalTokens;
    this.cacheReadInputTokens = cacheReadInputTokens;
  }

  public static TokenUsage of(long inputTokens, long outputTokens, Long totalTokens) {
    return new TokenUsage(
        inputTokens,
        outputTokens,
        totalTokens != null ? totalTokens : inputTokens + outputTokens,
        null);
  }

  /**
   * The same usage with the input tokens served from the provider's prompt cache, or unchanged
   * when {@code tokens} is null (the provider did not say).
   */
  public TokenUsage withCacheReadInputTokens(Long tokens) {
    return new TokenUsage(inputTokens, outputTokens, totalTokens, tokens);
  }

  public long inputTokens() {
    return inputTokens;
  }

  public long outputTokens() {
    return outputTokens;
  }

  public long totalTokens() {
    return totalTokens;
  }

  /** Input tokens read from the provider's prompt cache, or null when the provider did not say. */
  public Long cacheReadInputTokens() {
    return cacheReadInputTokens;
  }
}
