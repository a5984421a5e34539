package org.mlflow.agent.integration;

/** Tokens one model call consumed. The total is computed when the provider does not give it. */
public final class TokenUsage {

  private final long inputTokens;
  private final long outputTokens;
  private final long totalTokens;

  private TokenUsage(long inputTokens, long outputTokens, long totalTokens) {
    this.inputTokens = inputTokens;
    this.outputTokens = outputTokens;
    this.totalTokens = totalTokens;
  }

  public static TokenUsage of(long inputTokens, long outputTokens, Long totalTokens) {
    return new TokenUsage(
        inputTokens,
        outputTokens,
        totalTokens != null ? totalTokens : inputTokens + outputTokens);
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
}
