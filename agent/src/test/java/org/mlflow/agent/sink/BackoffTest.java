package org.mlflow.agent.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** How long the sender waits before trying a trace again. */
class BackoffTest {

  private final Backoff backoff = new Backoff(500, 30_000);

  @Test
  void theServersRetryAfterIsWaitedForButNeverLongerThanTheCap() {
    assertEquals(2_000, backoff.delayMillis(0, 2_000));
    assertEquals(0, backoff.delayMillis(3, 0));
    assertEquals(30_000, backoff.delayMillis(0, 3_600_000), "a server asking for an hour");
  }

  @Test
  void withoutRetryAfterTheWaitDoublesWithJitterUpToTheCap() {
    for (int attempt = 0; attempt < 30; attempt++) {
      long ceiling = Math.min(30_000, 500L << Math.min(attempt, 20));
      long delay = backoff.delayMillis(attempt, -1);
      assertTrue(delay >= ceiling / 2 && delay <= ceiling, attempt + ": " + delay);
    }
  }
}
