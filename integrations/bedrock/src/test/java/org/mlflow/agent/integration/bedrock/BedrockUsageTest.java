package org.mlflow.agent.integration.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.integration.TokenUsage;

class BedrockUsageTest {

  private static String describe(TokenUsage usage) {
    return usage.inputTokens() + "/" + usage.outputTokens() + "/" + usage.totalTokens()
        + " cache " + usage.cacheReadInputTokens() + "/" + usage.cacheCreationInputTokens();
  }

  @Test
  void converseUsageIsTakenAsGiven() {
    assertEquals("12/8/20 cache null/null", describe(BedrockUsage.from(
        Map.of("inputTokens", 12, "outputTokens", 8, "totalTokens", 20))));
  }

  @Test
  void cachedTokensCountAsInputAndTheTotalIsRecomputedAsMlflowDoes() {
    assertEquals("130/8/138 cache 100/20", describe(BedrockUsage.from(Map.of(
        "inputTokens", 10, "outputTokens", 8, "totalTokens", 18,
        "cacheReadInputTokens", 100, "cacheWriteInputTokens", 20))));
  }

  @Test
  void modelBodiesCountUnderTheirOwnNames() {
    assertEquals("25/11/36 cache null/null", describe(BedrockUsage.fromBody(Map.of(
        "content", "...", "usage", Map.of("input_tokens", 25, "output_tokens", 11)))));
    assertEquals("7/3/10 cache null/null", describe(BedrockUsage.fromBody(Map.of(
        "generation", "...", "prompt_token_count", 7, "generation_token_count", 3))));
    assertEquals("5/2/7 cache 4/null", describe(BedrockUsage.fromBody(Map.of(
        "usage", Map.of("input_tokens", 1, "output_tokens", 2, "cache_read_input_tokens", 4)))));
  }

  @Test
  void streamedChunksGiveEachCountAsTheLastChunkThatHasIt() {
    assertEquals("14/7/21 cache null/null", describe(BedrockUsage.fromChunks(List.of(
        Map.of("type", "message_start",
            "message", Map.of("usage", Map.of("input_tokens", 14, "output_tokens", 1))),
        Map.of("type", "content_block_delta"),
        Map.of("type", "message_delta", "usage", Map.of("output_tokens", 7))))));
  }

  @Test
  void chunksWithoutUsageFallBackToBedrocksInvocationMetrics() {
    assertEquals("5/3/8 cache null/null", describe(BedrockUsage.fromChunks(List.of(
        Map.of("generation", "Hi"),
        Map.of("generation", "", "amazon-bedrock-invocationMetrics",
            Map.of("inputTokenCount", 5, "outputTokenCount", 3, "invocationLatency", 90))))));
    assertNull(BedrockUsage.fromChunks(List.of(Map.of("generation", "Hi"), "not a map")));
  }

  @Test
  void usageWithoutBothCountsIsNoUsage() {
    assertNull(BedrockUsage.from(Map.of("inputTokens", 12)));
    assertNull(BedrockUsage.fromBody(Map.of("embedding", List.of(0.1))));
    assertNull(BedrockUsage.from(null));
  }
}
