package org.mlflow.agent.sink;

import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with full jitter, capped, and the server's Retry-After when it gives one. */
final class Backoff {

  private final long baseMillis;
  private final long maxMillis;

  Backoff(long baseMillis, long maxMillis) {
    this.baseMillis = baseMillis;
    this.maxMillis = maxMillis;
  }

  /**
   * @param attempt 0 for the wait after the first failure
   * @param retryAfterMillis the server's Retry-After, or -1
   */
  long delayMillis(int attempt, long retryAfterMillis) {
    if (retryAfterMillis >= 0) {
      return Math.min(retryAfterMillis, maxMillis);
    }
    long ceiling = Math.min(maxMillis, baseMillis << Math.min(attempt, 20));
    // Half fixed, half random: spreads many agents' retries without ever retrying at once.
    return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
  }
}
