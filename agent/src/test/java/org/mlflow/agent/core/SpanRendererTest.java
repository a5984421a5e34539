package org.mlflow.agent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.bootstrap.RecordingSink;
import org.mlflow.agent.bootstrap.Tracing;
import org.mlflow.agent.export.ExportedEvent;
import org.mlflow.agent.export.ExportedSpan;
import org.mlflow.agent.export.MlflowAttributes;
import org.mlflow.agent.integration.ContentRenderer;
import org.mlflow.agent.integration.TokenUsage;

class SpanRendererTest {

  private final List<Span> ended = RecordingSink.install().ended();

  @AfterEach
  void uninstall() {
    RecordingSink.uninstall();
  }

  private Span streamedCall(List<String> items) {
    Span span = Tracing.start("chat", "Messages.create", "CHAT_MODEL", "request");
    items.forEach(item -> Tracing.chunk(span, item));
    Tracing.end(span, null, null);
    return ended.get(ended.size() - 1);
  }

  private static ExportedSpan render(ContentRenderer renderer, ContentPolicy policy, Span span) {
    return new SpanRenderer(Map.of("chat", renderer), policy).render(span);
  }

  @Test
  void cacheTokenCountsAreWrittenOnlyWhenTheProviderReportsThem() {
    Span span = streamedCall(List.of());
    ContentRenderer withCache = (s, content) -> content.tokenUsage(
        TokenUsage.of(120, 8, null).withCacheTokens(100L, 0L));
    ContentRenderer withoutCache = (s, content) -> content.tokenUsage(TokenUsage.of(20, 8, null));

    assertEquals(
        Map.of("input_tokens", 120L, "output_tokens", 8L, "total_tokens", 128L,
            "cache_read_input_tokens", 100L, "cache_creation_input_tokens", 0L),
        render(withCache, ContentPolicy.keepAll(), span)
            .attribute(MlflowAttributes.CHAT_TOKEN_USAGE));
    assertEquals(Map.of("input_tokens", 20L, "output_tokens", 8L, "total_tokens", 28L),
        render(withoutCache, ContentPolicy.keepAll(), span)
            .attribute(MlflowAttributes.CHAT_TOKEN_USAGE));
  }

  @Test
  void streamedItemsFollowTheContentPolicy() {
    Span span = streamedCall(List.of("first", "a longer second item"));
    ContentRenderer chunks = (s, content) -> {
      for (int i = 0; i < s.chunkCount(); i++) {
        content.chunk(s.chunk(i));
      }
    };

    assertEquals(List.of("\"first\"", "\"a longer second item\""),
        chunkValues(render(chunks, ContentPolicy.keepAll(), span)));
    assertEquals(List.of(), chunkValues(render(chunks, new ContentPolicy(false, 100), span)),
        "no content capture: no streamed items either");
    assertEquals(List.of("\"first\"",
            "\"\\\"a longer ... [truncated by mlflow-tracing-agent: 10 of 22 chars]\""),
        chunkValues(render(chunks, new ContentPolicy(true, 10), span)));
  }

  private static List<Object> chunkValues(ExportedSpan span) {
    return span.events().stream()
        .filter(event -> event.name().startsWith("mlflow.chunk.item."))
        .map(ExportedEvent::attributes)
        .map(attributes -> attributes.get("mlflow.chunk.value"))
        .collect(Collectors.toList());
  }

  @Test
  void theRendererMayNameTheSpanAfterWhatTheCallReads() {
    Span span = streamedCall(List.of());
    ContentRenderer namedTool = (s, content) -> content.spanName("get_weather");

    assertEquals("get_weather", render(namedTool, ContentPolicy.keepAll(), span).name());
    assertEquals("Messages.create",
        render((s, content) -> { }, ContentPolicy.keepAll(), span).name());
  }

  @Test
  void aResultThatSaysItFailedMakesAnErrorSpanWithoutAnExceptionEvent() {
    Span span = streamedCall(List.of());
    ExportedSpan failed = render((s, content) -> content.failure("tool error: no such city"),
        ContentPolicy.keepAll(), span);

    assertEquals(ExportedSpan.STATUS_ERROR, failed.status());
    assertEquals("tool error: no such city", failed.statusMessage());
    assertEquals(List.of(), failed.events());
    assertEquals(ExportedSpan.STATUS_OK,
        render((s, content) -> { }, ContentPolicy.keepAll(), span).status());
  }

  @Test
  void theRendererMayRefineTheTypeTheSpanStartedWith() {
    Span span = streamedCall(List.of());
    assertEquals("CHAIN", render((s, content) -> content.spanType("CHAIN"),
        ContentPolicy.keepAll(), span).attribute(MlflowAttributes.SPAN_TYPE));
    assertEquals("CHAT_MODEL", render((s, content) -> content.model("m"),
        ContentPolicy.keepAll(), span).attribute(MlflowAttributes.SPAN_TYPE));
  }

  @Test
  void theRendererMayAddAttributesButNotReplaceMlflowKeys() {
    Span span = streamedCall(List.of());
    ExportedSpan rendered = render((s, content) -> content.spanType("EMBEDDING")
        .model("m")
        .attribute("aws.request_id", "req-1")
        .attribute(MlflowAttributes.LLM_MODEL, "not the model"), ContentPolicy.keepAll(), span);

    assertEquals("EMBEDDING", rendered.attribute(MlflowAttributes.SPAN_TYPE));
    assertEquals("req-1", rendered.attribute("aws.request_id"));
    assertEquals("m", rendered.attribute(MlflowAttributes.LLM_MODEL));
  }

  @Test
  void anErrorsMessageStackTraceAndStatusHaveCredentialsAndTheUsersMatchesRedacted() {
    String apiKey = "sk-test-SECRET-0123456789abcdef";
    Span span = Tracing.start("chat", "Completions", "CHAT_MODEL", "request");
    Tracing.end(span, null, new IllegalStateException("401: Incorrect API key provided: " + apiKey
        + " for ann@example.com", new RuntimeException("cause quoting " + apiKey)));
    ContentPolicy policy = new ContentPolicy(true, 1000,
        java.util.regex.Pattern.compile("[\\w.]+@[\\w.]+"),
        KnownSecrets.pattern(List.of(apiKey)));

    ExportedSpan failed = render((s, content) -> { }, policy, ended.get(ended.size() - 1));

    String message = "401: Incorrect API key provided: [REDACTED] for [REDACTED]";
    assertEquals("java.lang.IllegalStateException: " + message, failed.statusMessage());
    ExportedEvent exception = failed.events().get(0);
    assertEquals("exception", exception.name());
    assertEquals(message, exception.attributes().get("exception.message"));
    String stacktrace = (String) exception.attributes().get("exception.stacktrace");
    assertTrue(stacktrace.startsWith("java.lang.IllegalStateException: " + message), stacktrace);
    assertTrue(stacktrace.contains("Caused by: java.lang.RuntimeException: cause quoting [REDACTED]"),
        stacktrace);
    assertFalse(stacktrace.contains(apiKey) || stacktrace.contains("ann@example.com"), stacktrace);
  }

  @Test
  void aFailureTheRendererReportsHasCredentialsRedactedToo() {
    Span span = streamedCall(List.of());
    ContentPolicy policy = new ContentPolicy(true, 1000, null,
        KnownSecrets.pattern(List.of("dapi-SECRET-token")));
    assertEquals("refused [REDACTED]", render(
        (s, content) -> content.failure("refused dapi-SECRET-token"), policy, span)
        .statusMessage());
  }
}
