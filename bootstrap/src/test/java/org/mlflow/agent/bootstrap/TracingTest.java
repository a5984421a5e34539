package org.mlflow.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TracingTest {

  private final List<Span> ended = new ArrayList<>();
  private final List<Span> roots = new ArrayList<>();

  private SpanSink recorder(List<Span> endedSpans) {
    return new SpanSink() {
      @Override
      public void rootStarted(Span root) {
        roots.add(root);
      }

      @Override
      public void spanEnded(Span span) {
        endedSpans.add(span);
      }

      @Override
      public void adviceFailed(Throwable error) {
        throw new AssertionError(error);
      }
    };
  }

  @AfterEach
  void uninstall() {
    Tracing.install(null, 1.0);
  }

  @Test
  void nestedCallsFormOneTreeAndRestoreTheContext() {
    Tracing.install(recorder(ended), 1.0);

    Span root = Tracing.start("k", "Agent", "AGENT", "question");
    Span child = Tracing.start("k", "Completions", "CHAT_MODEL", "request");
    assertSame(child, Tracing.current());
    Tracing.end(child, "response", null);
    assertSame(root, Tracing.current());
    Tracing.end(root, "answer", null);
    assertNull(Tracing.current());

    assertEquals(List.of(child, root), ended);
    assertEquals(List.of(root), roots, "only the root is announced at start");
    assertTrue(root.isRoot());
    assertEquals(root.spanId(), child.parentSpanId());
    assertEquals(root.traceIdHigh(), child.traceIdHigh());
    assertEquals(root.traceIdLow(), child.traceIdLow());
    assertNotEquals(root.spanId(), child.spanId());
    assertEquals("response", child.response());
    assertEquals("request", child.request());
    assertTrue(child.endEpochNanos() >= child.startEpochNanos());
    assertTrue(root.startEpochNanos() <= child.startEpochNanos());
  }

  @Test
  void separateRootCallsStartSeparateTraces() {
    Tracing.install(recorder(ended), 1.0);
    Span first = Tracing.start("k", "a", "CHAT_MODEL", null);
    Tracing.end(first, null, null);
    Span second = Tracing.start("k", "b", "CHAT_MODEL", null);
    Tracing.end(second, null, null);
    assertTrue(second.isRoot());
    assertNotEquals(first.traceIdLow(), second.traceIdLow());
  }

  @Test
  void theErrorIsKeptAndTheSpanStillEnds() {
    Tracing.install(recorder(ended), 1.0);
    IllegalStateException failure = new IllegalStateException("boom");
    Span span = Tracing.start("k", "Completions", "CHAT_MODEL", null);
    Tracing.end(span, null, failure);
    assertSame(failure, ended.get(0).error());
    assertNull(Tracing.current());
  }

  @Test
  void anUnsampledTraceRecordsNeitherItsRootNorItsChildren() {
    Tracing.install(recorder(ended), 0.0);
    Span root = Tracing.start("k", "root", "CHAIN", null);
    Span child = Tracing.start("k", "child", "CHAT_MODEL", null);
    assertSame(Tracing.NOT_RECORDED, root);
    assertSame(Tracing.NOT_RECORDED, child);
    Tracing.end(child, null, null);
    Tracing.end(root, null, null);
    assertTrue(ended.isEmpty());

    Tracing.install(recorder(ended), 1.0);
    Span next = Tracing.start("k", "next", "CHAT_MODEL", null);
    assertTrue(next.isRoot(), "the unsampled trace left no context behind");
    Tracing.end(next, null, null);
    assertEquals(1, ended.size());
  }

  @Test
  void anUnsampledAsyncCallLeavesNoContextBehind() {
    Tracing.install(recorder(ended), 0.0);
    java.util.concurrent.CompletableFuture<String> future =
        new java.util.concurrent.CompletableFuture<>();
    Span unsampled = Tracing.start("k", "async", "CHAT_MODEL", null);
    assertSame(future, Tracing.endWhenDone(unsampled, future));
    future.complete("answer");

    Tracing.install(recorder(ended), 1.0);
    Span next = Tracing.start("k", "next", "CHAT_MODEL", null);
    assertTrue(next != Tracing.NOT_RECORDED, "the thread records again after the async call");
    Tracing.end(next, null, null);
    assertEquals(List.of(next), ended);
  }

  @Test
  void nothingIsRecordedBeforeTheAgentInstallsASink() {
    Span span = Tracing.start("k", "x", "CHAT_MODEL", null);
    assertSame(Tracing.NOT_RECORDED, span);
    Tracing.end(span, null, null);
    Tracing.end(null, null, null);
    assertNull(Tracing.current());
  }

  @Test
  void aSpanEndedOnAnotherThreadLeavesThatThreadsContextAlone() throws Exception {
    List<Span> shared = java.util.Collections.synchronizedList(ended);
    Tracing.install(recorder(shared), 1.0);
    Span[] started = new Span[1];
    Thread starter = new Thread(() -> started[0] = Tracing.start("k", "stream", "CHAT_MODEL", null));
    starter.start();
    starter.join();

    Span local = Tracing.start("k", "local", "CHAT_MODEL", null);
    Tracing.end(started[0], null, null);
    assertSame(local, Tracing.current());
    Tracing.end(local, null, null);
    assertNull(Tracing.current());
    assertEquals(List.of(started[0], local), ended);
  }

  @Test
  void aParentEndingBeforeItsChildPopsBothFromTheThread() {
    Tracing.install(recorder(ended), 1.0);
    Span root = Tracing.start("k", "root", "CHAIN", null);
    Span child = Tracing.start("k", "child", "TOOL", null);
    Tracing.end(root, null, null);
    assertNull(Tracing.current(), "the ended root is no parent for later calls");
    Tracing.end(child, null, null);
    assertNull(Tracing.current());
    Span next = Tracing.start("k", "next", "CHAT_MODEL", null);
    assertTrue(next.isRoot());
    Tracing.end(next, null, null);
  }
}
