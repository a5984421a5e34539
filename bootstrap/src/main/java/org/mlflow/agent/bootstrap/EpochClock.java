package org.mlflow.agent.bootstrap;

import java.time.Instant;

/**
 * Wall-clock epoch nanoseconds at the cost of {@link System#nanoTime()}: one wall-clock reading at
 * start-up anchors the monotonic clock, so span times never jump backwards within a run.
 */
final class EpochClock {

  private static final long OFFSET;

  static {
    Instant now = Instant.now();
    OFFSET = now.getEpochSecond() * 1_000_000_000L + now.getNano() - System.nanoTime();
  }

  private EpochClock() {}

  static long nowNanos() {
    return OFFSET + System.nanoTime();
  }
}
