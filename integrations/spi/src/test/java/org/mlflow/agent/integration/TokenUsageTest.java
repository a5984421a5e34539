package org.mlflow.agent.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class TokenUsageTest {

  @Test
  void theTotalIsTheProvidersOrTheSum() {
    assertEquals(30, TokenUsage.of(10, 5, 30L).totalTokens());
    assertEquals(15, TokenUsage.of(10, 5, null).totalTokens());
  }

  @Test
  void cacheReadTokensAreKeptOnlyWhenTheProviderGivesThem() {
    TokenUsage usage = TokenUsage.of(10, 5, null);
    assertNull(usage.cacheReadInputTokens());

    TokenUsage cached = usage.withCacheReadInputTokens(4L);
    assertEquals(4L, cached.cacheReadInputTokens());
    assertEquals(10, cached.inputTokens());
    assertEquals(5, cached.outputTokens());
    assertEquals(15, cached.totalTokens());
    assertNull(usage.withCacheReadInputTokens(null).cacheReadInputTokens());
  }
}
