package org.mlflow.agent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.bootstrap.SpanSink;
import org.mlflow.agent.bootstrap.Tracing;
import org.mlflow.agent.export.ExportedSpan;
import org.mlflow.agent.export.MlflowAttributes;
import org.mlflow.agent.integration.ContentRenderer;
import org.mlflow.agent.integration.TokenUsage;

class SpanRendererTest {

  @AfterEach
  void uninstall() {
    Tracing.install(null, 1.0);
  }

  private static Span endedSpan() {
    List<Span> ended = new ArrayList<>();
    Tracing.install(new SpanSink() {
      @Override
      public void rootStarted(Span root) {}

      @Override
      public void spanEnded(Span span) {
        ended.add(span);
      }

      @Override
      public void adviceFailed(Throwable error) {
        throw new AssertionError(error);
      }
    }, 1.0);
    Tracing.end(Tracing.start("chat", "Completions", "CHAT_MODEL", "request"), "response", null);
    return ended.get(0);
  }

  private static Object tokenUsageOf(TokenUsage usage) {
    ContentRenderer renderer = (span, content) -> content.tokenUsage(usage);
    ExportedSpan exported = new SpanRenderer(Map.of("chat", renderer), ContentPolicy.keepAll())
        .render(endedSpan());
    return exported.attribute(MlflowAttributes.CHAT_TOKEN_USAGE);
  }

  @Test
  void tokenUsageCarriesCacheReadTokensOnlyWhenTheProviderGaveThem() {
    assertEquals(Map.of("input_tokens", 10L, "output_tokens", 5L, "total_tokens", 15L),
        tokenUsageOf(TokenUsage.of(10, 5, null)));
    assertEquals(Map.of("input_tokens", 10L, "output_tokens", 5L, "total_tokens", 15L,
            "cache_read_input_tokens", 4L),
        tokenUsageOf(TokenUsage.of(10, 5, null).withCacheReadInputTokens(4L)));
  }
}
