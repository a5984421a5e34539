package org.mlflow.agent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.bootstrap.RecordingSink;
import org.mlflow.agent.bootstrap.Tracing;
import org.mlflow.agent.export.ExportedSpan;
import org.mlflow.agent.export.ExportedTrace;
import org.mlflow.agent.export.JsonText;
import org.mlflow.agent.export.MlflowAttributes;
import org.mlflow.agent.integration.ContentRenderer;
import org.mlflow.agent.integration.TokenUsage;
import org.mlflow.agent.sink.TraceSink;

class TraceAssemblerTest {

  private static final long SECOND = 1_000_000_000L;

  private final RecordingSink recorded = RecordingSink.install();
  private final List<Span> started = recorded.roots();
  private final List<Span> ended = recorded.ended();
  private final List<ExportedTrace> shipped = new ArrayList<>();
  private final AgentStats stats = new AgentStats();

  private final ContentRenderer usage = (span, content) -> content.inputs(span.request())
      .outputs(span.response()).tokenUsage(TokenUsage.of(10, 5, null));
  private final SpanRenderer renderer =
      new SpanRenderer(Map.of("chat", usage), ContentPolicy.keepAll());
  private final TraceBuilder builder = new TraceBuilder("3", Map.of("mlflow.source.name", "test"));
  private final TraceSink sink = new TraceSink() {
    @Override
    public void export(ExportedTrace trace) {
      shipped.add(trace);
    }

    @Override
    public String describe() {
      return "test";
    }

    @Override
    public void close() {}
  };
  private final TraceAssembler assembler =
      new TraceAssembler(renderer, builder, sink, stats, 60, 2);

  @AfterEach
  void uninstall() {
    RecordingSink.uninstall();
  }

  private void feed(long nowNanos) {
    started.forEach(root -> assembler.rootStarted(root, nowNanos));
    ended.forEach(span -> assembler.spanEnded(span, nowNanos));
    started.clear();
    ended.clear();
  }

  @Test
  void aTraceShipsWhenItsRootEndsWithTheTreeAndTheUsageCountedOnce() {
    Span root = Tracing.start("chat", "Agent", "AGENT", "question");
    Span child = Tracing.start("chat", "Completions", "CHAT_MODEL", "request");
    Tracing.end(child, "response", null);
    feed(0);
    assertEquals(0, shipped.size(), "nothing ships before the root ends");
    Tracing.end(root, "answer", null);
    feed(1);

    assertEquals(1, shipped.size());
    ExportedTrace trace = shipped.get(0);
    assertEquals(List.of("Agent", "Completions"),
        trace.spans().stream().map(ExportedSpan::name).collect(java.util.stream.Collectors.toList()));
    assertEquals(root.spanId(), trace.spans().get(1).parentSpanId());
    assertEquals("3", trace.experimentId());
    assertEquals("OK", trace.state());
    assertEquals("Agent", trace.tags().get("mlflow.traceName"));
    // Both spans report usage, but the child's is inside the root's: counted once.
    assertEquals("{\"input_tokens\":10,\"output_tokens\":5,\"total_tokens\":15}",
        trace.metadata().get("mlflow.trace.tokenUsage"));
    assertEquals("test", trace.metadata().get("mlflow.source.name"));
    assertEquals("\"question\"", trace.requestPreview());
    assertEquals("AGENT", trace.spans().get(0).attribute(MlflowAttributes.SPAN_TYPE));
  }

  @Test
  void aRootThatNeverEndsIsClosedAsAnErrorAfterTheTimeout() {
    Span root = Tracing.start("chat", "Stream", "CHAT_MODEL", "request");
    Span child = Tracing.start("chat", "Tool", "TOOL", "args");
    Tracing.end(child, "result", null);
    feed(0);
    assembler.expire(59 * SECOND);
    assertEquals(0, shipped.size());
    assembler.expire(61 * SECOND);

    assertEquals(1, shipped.size());
    ExportedTrace trace = shipped.get(0);
    assertEquals("ERROR", trace.state());
    assertEquals(2, trace.spans().size());
    assertTrue(trace.spans().get(0).statusMessage().contains("MLFLOW_TRACE_TIMEOUT_SECONDS"));
    assertEquals(1, stats.tracesTimedOut());
    assertEquals(0, assembler.pendingTraces());

    Tracing.end(root, "late response", null);
    feed(62 * SECOND);
    assertEquals(1, shipped.size(), "the trace is not shipped twice");
    assertEquals(Map.of(), stats.spansDropped(), "the root was exported, not dropped");
  }

  @Test
  void waitingSpansAreBoundedAndDropsAreCounted() {
    Span root = Tracing.start("chat", "Root", "CHAIN", null);
    for (int i = 0; i < 3; i++) {
      Tracing.end(Tracing.start("chat", "c" + i, "TOOL", null), null, null);
    }
    feed(0);
    assertEquals(Map.of(AgentStats.DROP_BACKLOG_FULL, 1L), stats.spansDropped());
    Tracing.end(root, null, null);
    feed(1);
    assertEquals(3, shipped.get(0).spans().size());
  }

  @Test
  void spansWhoseWaitingContentIsOverTheHeapBudgetAreExportedBareAndCounted() {
    // 10,000 bytes: one 1,000-character call (2,004 characters of JSON in and out) held while
    // two more wait in the ring is over it; the call alone is not.
    TraceAssembler tight = new TraceAssembler(renderer, builder, sink, stats, 60, 100,
        new ContentBacklog(10_000));
    String big = "x".repeat(1_000);
    Span root = Tracing.start("chat", "Agent", "AGENT", "question");
    Tracing.end(Tracing.start("chat", "First", "CHAT_MODEL", big), big, null);
    Tracing.end(Tracing.start("chat", "Second", "CHAT_MODEL", big), big, null);
    Tracing.end(root, "answer", null);
    started.forEach(span -> tight.rootStarted(span, 0));
    long behind = ended.size();
    for (Span span : ended) {
      tight.spansInRing(--behind == 0 ? 0 : 2); // the second call meets a ring still filling
      tight.spanEnded(span, 0);
    }

    assertEquals(1, shipped.size());
    Map<String, ExportedSpan> spans = trace(shipped.get(0));
    assertTrue(spans.get("Second").attributes().containsKey(SpanRenderer.CONTENT_DROPPED));
    assertEquals(null, spans.get("Second").attribute(MlflowAttributes.SPAN_INPUTS));
    assertEquals("CHAT_MODEL", spans.get("Second").attribute(MlflowAttributes.SPAN_TYPE));
    assertEquals("OK", spans.get("Second").status());
    assertEquals("\"" + big + "\"",
        ((JsonText) spans.get("First")
            .attribute(MlflowAttributes.SPAN_INPUTS)).json());
    assertTrue(spans.get("Agent").attributes().containsKey(MlflowAttributes.SPAN_INPUTS),
        "once the ring is empty again the content fits: the root keeps its content");
    assertEquals(1, stats.spansWithoutContent());

    // The shipped trace's content is no longer held: a new call with a short ring fits again.
    Span next = Tracing.start("chat", "Next", "CHAT_MODEL", big);
    Tracing.end(next, big, null);
    tight.spansInRing(1);
    tight.spanEnded(ended.get(ended.size() - 1), 1);
    assertTrue(trace(shipped.get(1)).get("Next").attributes()
        .containsKey(MlflowAttributes.SPAN_INPUTS));
    assertEquals(1, stats.spansWithoutContent());
  }

  private static Map<String, ExportedSpan> trace(ExportedTrace trace) {
    Map<String, ExportedSpan> byName = new HashMap<>();
    trace.spans().forEach(span -> byName.put(span.name(), span));
    return byName;
  }

  @Test
  void childrenEndingAfterTheirTraceShippedAreDroppedAsLate() {
    Span root = Tracing.start("chat", "Root", "CHAIN", null);
    Span child = Tracing.start("chat", "Late", "TOOL", null);
    Tracing.end(root, null, null);
    feed(0);
    Tracing.end(child, null, null);
    feed(1);
    assembler.expire(62 * SECOND);
    assertEquals(1, shipped.size());
    assertEquals(Map.of(AgentStats.DROP_LATE, 1L), stats.spansDropped());
  }

  @Test
  void aRootWhoseEndWasDroppedIsShippedAsItEndedNotAsATimeout() {
    // Announced to the agent once a span starts inside it: only then can its end be recovered.
    Span root = Tracing.start("chat", "Agent", "AGENT", "question");
    Tracing.end(Tracing.start("chat", "Completions", "CHAT_MODEL", "request"), "response", null);
    feed(0);
    Tracing.end(root, "answer", null);
    List<Span> endStillInTheRing = new ArrayList<>(ended);
    ended.clear();

    assembler.expire(1);
    assertEquals(0, shipped.size(), "its end may still be in the ring: it is given time");
    assembler.expire(1 + TraceAssembler.RECOVERY_GRACE_NANOS);

    assertEquals(1, shipped.size());
    assertEquals("OK", shipped.get(0).state());
    assertEquals(0, stats.tracesTimedOut());
    assertEquals(0, assembler.pendingTraces());
    assertEquals(1, stats.rootsExportedDespiteADroppedEnd());

    endStillInTheRing.forEach(span -> assembler.spanEnded(span, 2));
    assertEquals(1, shipped.size(), "an end that arrives after all does not ship it twice");
    assertEquals(Map.of(), stats.spansDropped(), "nor counts the exported root as dropped");
    assertEquals(0, stats.rootsExportedDespiteADroppedEnd(), "its end was not dropped after all");
  }
}
