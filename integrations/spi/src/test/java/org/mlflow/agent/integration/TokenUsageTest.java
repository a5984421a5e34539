package org.mlflow.agent.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class TokenUsageTest {

  @Test
  void theTotalIsComputedWhenTheProviderGivesNone() {
    assertEquals(33, TokenUsage.of(21, 12, null).totalTokens());
    assertEquals(40, TokenUsage.of(21, 12, 40L).totalTokens());
  }

  @Test
  void cacheCountsAreAbsentUnlessReported() {
    TokenUsage usage = TokenUsage.of(21, 12, null);
    assertNull(usage.cacheReadInputTokens());
    assertNull(usage.cacheCreationInputTokens());
  }

  @Test
  void cacheCountsAreAddedWithoutChangingTheOtherCounts() {
    TokenUsage usage = TokenUsage.of(21, 12, null).withCacheTokens(100L, null);

    assertEquals(100L, usage.cacheReadInputTokens());
    assertNull(usage.cacheCreationInputTokens());
    assertEquals(21, usage.inputTokens());
    assertEquals(12, usage.outputTokens());
    assertEquals(33, usage.totalTokens());
    assertEquals(0L, TokenUsage.of(1, 1, null).withCacheTokens(0L, 0L).cacheCreationInputTokens());
  }
}
