package org.mlflow.agent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
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

  private ExportedSpan render(ContentRenderer renderer) {
    Span span = Tracing.start("kind", "Call", "LLM", "request");
    Tracing.end(span, "response", null);
    return new SpanRenderer(Map.of("kind", renderer), ContentPolicy.keepAll()).render(ended.get(0));
  }

  @Test
  void cacheTokensAreRecordedUnderMlflowsKeysWhenReported() {
    ExportedSpan span = render((recorded, content) -> content.tokenUsage(
        TokenUsage.of(30, 5, null).withCacheTokens(20L, null)));

    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put(MlflowAttributes.INPUT_TOKENS, 30L);
    expected.put(MlflowAttributes.OUTPUT_TOKENS, 5L);
    expected.put(MlflowAttributes.TOTAL_TOKENS, 35L);
    expected.put(MlflowAttributes.CACHE_READ_INPUT_TOKENS, 20L);
    assertEquals(expected, span.attribute(MlflowAttributes.CHAT_TOKEN_USAGE));
  }

  @Test
  void theRendererMayRetypeTheSpanAndAddAttributesButNotReplaceMlflowKeys() {
    ExportedSpan span = render((recorded, content) -> content.spanType("EMBEDDING")
        .model("m")
        .attribute("aws.request_id", "req-1")
        .attribute(MlflowAttributes.LLM_MODEL, "not the model"));

    assertEquals("EMBEDDING", span.attribute(MlflowAttributes.SPAN_TYPE));
    assertEquals("req-1", span.attribute("aws.request_id"));
    assertEquals("m", span.attribute(MlflowAttributes.LLM_MODEL));
  }

  @Test
  void theSpanKeepsItsTypeWhenTheRendererSaysNothing() {
    ExportedSpan span = render((recorded, content) -> content.inputs(recorded.request()));
    assertEquals("LLM", span.attribute(MlflowAttributes.SPAN_TYPE));
    assertEquals("\"request\"", span.attribute(MlflowAttributes.SPAN_INPUTS).toString());
  }
}
