package org.mlflow.agent.integration.googlegenai;

import static org.mlflow.agent.integration.JdkValues.number;

import org.mlflow.agent.integration.TokenUsage;

/**
 * Token usage from a response's {@code usageMetadata}, as MLflow's Python Gemini autolog reads
 * it.
 */
final class GeminiUsage {

  private GeminiUsage() {}

  /** Null when the response says nothing about its prompt tokens. */
  static TokenUsage of(Object response) {
    Long prompt = number(response, "usageMetadata", "promptTokenCount");
    if (prompt == null) {
      return null;
    }
    // Absent when the model produced no candidate, e.g. a prompt blocked by a safety filter.
    Long candidates = number(response, "usageMetadata", "candidatesTokenCount");
    TokenUsage usage = TokenUsage.of(prompt, candidates != null ? candidates : 0,
        number(response, "usageMetadata", "totalTokenCount"));
    Long cached = number(response, "usageMetadata", "cachedContentTokenCount");
    return cached != null ? usage.withCacheTokens(cached, null) : usage;
  }
}
