package org.mlflow.agent.integration;

/** Tokens one model call consumed. The total is computed when the provider does not give it. */
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
   * The same usage with the prompt-cache counts the provider reported (null for one it did not);
   * MLflow records them as {@code cache_read_input_tokens} and {@code
   * cache_creation_input_tokens}. The input and total counts are kept as given: whether they
   * include cached tokens is the provider's convention, which the caller normalizes.
   */
  public TokenUsage withCacheTokens(Long cacheRead, Long cacheCreation) {
    return new TokenUsage(inputTokens, outputTokens, totalTokens, cacheRead, cacheCreation);
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

  /** Input tokens read from the provider's prompt cache, or null when not reported. */
  public Long cacheReadInputTokens() {
    return cacheReadInputTokens;
  }

  /** Input tokens written to the provider's prompt cache, or null when not reported. */
  public Long cacheCreationInputTokens() {
    return cacheCreationInputTokens;
  }
}
