package org.mlflow.agent.integration;

/**
 * Tokens one model call consumed. The total is computed when the provider does not give it. The
 * prompt-cache counts are optional: null when the provider did not report them.
 */
public final class TokenUsage {

  private final long inputTokens;
  private final long outputTokens;
  private final long totalTokens;
  private final Long cacheReadInputTokens;
  private final Long cacheCreationInputTokens;

  private TokenUsage(long inputTokens, long outputTokens, long totalTokens,
      Long cacheReadInputTokens, Long cacheCreationInputTokens) {
    this.inputTokens = inputTokens;
    this.outputTokens = outputTokens;
    this.totalTokens = totalTokens;
    this.cacheReadInputTokens = cacheReadInputTokens;
    this.cacheCreationInputTokens = cacheCreationInputTokens;
  }

  public static TokenUsage of(long inputTokens, long outputTokens, Long totalTokens) {
    return new TokenUsage(
        inputTokens,
        outputTokens,
        totalTokens != null ? totalTokens : inputTokens + outputTokens,
        null,
        null);
  }

  /**
   * The same usage with the prompt-cache counts the provider reported (null for one it did not
   * report). The input and total counts are kept as they are: whether they include the cached
   * tokens is the caller's decision, by the provider's convention.
   */
  public TokenUsage withCacheTokens(Long cacheReadInputTokens, Long cacheCreationInputTokens) {
    return new TokenUsage(inputTokens, outputTokens, totalTokens, cacheReadInputTokens,
        cacheCreationInputTokens);
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

  /** Input tokens read from the provider's prompt cache, or null when it did not say. */
  public Long cacheReadInputTokens() {
    return cacheReadInputTokens;
  }

  /** Input tokens written to the provider's prompt cache, or null when it did not say. */
  public Long cacheCreationInputTokens() {
    return cacheCreationInputTokens;
  }
}
