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

  private final List<Span> ended = new ArrayList<>();

  SpanRendererTest() {
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
  }

  @AfterEach
  void uninstall() {
    Tracing.install(null, 1.0);
  }

  private ExportedSpan render(ContentRenderer renderer, String startedType) {
    Span span = Tracing.start("kind", "call", startedType, null);
    Tracing.end(span, null, null);
    return new SpanRenderer(Map.of("kind", renderer), ContentPolicy.keepAll()).render(ended.get(0));
  }

  @Test
  void theRendererMayRefineTheTypeTheSpanStartedWith() {
    assertEquals("CHAIN",
        render((span, content) -> content.spanType("CHAIN"), "CHAT_MODEL")
            .attribute(MlflowAttributes.SPAN_TYPE));
    assertEquals("CHAT_MODEL",
        render((span, content) -> content.model("m"), "CHAT_MODEL")
            .attribute(MlflowAttributes.SPAN_TYPE));
  }

  @Test
  void cachedInputTokensAreReportedOnlyWhenTheProviderSaysSo() {
    assertEquals(
        Map.of("input_tokens", 10L, "output_tokens", 5L, "total_tokens", 15L,
            "cache_read_input_tokens", 4L),
        render((span, content) -> content.tokenUsage(
            TokenUsage.of(10, 5, null).withCacheReadInputTokens(4)), "CHAT_MODEL")
            .attribute(MlflowAttributes.CHAT_TOKEN_USAGE));
    ended.clear();
    assertEquals(
        Map.of("input_tokens", 10L, "output_tokens", 5L, "total_tokens", 15L),
        render((span, content) -> content.tokenUsage(TokenUsage.of(10, 5, null)), "CHAT_MODEL")
            .attribute(MlflowAttributes.CHAT_TOKEN_USAGE));
  }
}
