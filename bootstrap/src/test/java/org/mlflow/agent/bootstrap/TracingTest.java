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
  void aSingleCallIsHandedOverOnceAtItsEnd() {
    Tracing.install(recorder(ended), 1.0);

    Span call = Tracing.start("k", "Completions", "CHAT_MODEL", "request");
    Tracing.end(call, "response", null);

    assertEquals(List.of(call), ended);
    assertEquals(List.of(), roots,
        "a root with nothing inside, ended where it began, needs no announcement");
  }

  @Test
  void aRootIsAnnouncedOnceWhenTheFirstSpanStartsInsideIt() {
    Tracing.install(recorder(ended), 1.0);

    Span root = Tracing.start("k", "Agent", "AGENT", "question");
    assertEquals(List.of(), roots);
    Tracing.end(Tracing.start("k", "Completions", "CHAT_MODEL", "request"), "response", null);
    assertEquals(List.of(root), roots, "announced before its first child can end");
    Tracing.end(Tracing.start("k", "Completions", "CHAT_MODEL", "request"), "response", null);
    Tracing.end(root, "answer", null);

    assertEquals(List.of(root), roots, "once");
  }

  @Test
  void aRootLeavingItsThreadIsAnnouncedAsItMayNeverEnd() {
    Tracing.install(recorder(ended), 1.0);

    Span stream = Tracing.start("k", "Completions", "CHAT_MODEL", "request");
    Tracing.detach(stream);
    assertEquals(List.of(stream), roots);
    java.util.concurrent.CompletableFuture<String> answer =
        new java.util.concurrent.CompletableFuture<>();
    Span async = Tracing.start("k", "Completions", "CHAT_MODEL", "request");
    Tracing.endWhenDone(async, answer);

    assertEquals(List.of(stream, async), roots);
    assertEquals(List.of(), ended);
    answer.complete("response");
    assertEquals(List.of(async), ended);
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

  @Test
  void aCallOfOneStepIsOneSpan() {
    Tracing.install(recorder(ended), 1.0);
    Span call = Tracing.start("k", "Models.generateContent", "CHAT_MODEL", "request");
    Span step = Tracing.startStep("k", "Models.privateGenerateContent", "CHAT_MODEL", "request");
    assertSame(step, Tracing.current());
    Tracing.end(step, "response", null);
    assertSame(call, Tracing.current());
    Tracing.end(call, "response", null);

    assertEquals(List.of(call), ended, "the single step is folded into its parent");
    assertEquals(1, call.stepCount());
  }

  @Test
  void aLoopOfStepsHasOneChildPerStepInOrderOfTheirEnds() {
    Tracing.install(recorder(ended), 1.0);
    Span call = Tracing.start("k", "Models.generateContent", "CHAT_MODEL", "request");
    Span first = Tracing.startStep("k", "Models.privateGenerateContent", "CHAT_MODEL", "1");
    Tracing.end(first, "call a tool", null);
    assertTrue(ended.isEmpty(), "held back until a second step shows it is a loop");
    Span tool = Tracing.start("k", "tool", "TOOL", null);
    Tracing.end(tool, null, null);
    Span second = Tracing.startStep("k", "Models.privateGenerateContent", "CHAT_MODEL", "2");
    Tracing.end(second, "answer", null);
    Span third = Tracing.startStep("k", "Models.privateGenerateContent", "CHAT_MODEL", "3");
    Tracing.end(third, "answer", null);
    Tracing.end(call, "answer", null);

    assertEquals(List.of(tool, first, second, third, call), ended);
    assertEquals(3, call.stepCount());
    for (Span step : List.of(first, second, third)) {
      assertEquals(call.spanId(), step.parentSpanId());
    }
    assertEquals(0, first.stepCount());
  }

  @Test
  void aStepWithATracedCallInsideIsKeptSoTheCallHasItsParent() {
    Tracing.install(recorder(ended), 1.0);
    Span call = Tracing.start("k", "call", "CHAT_MODEL", null);
    Span step = Tracing.startStep("k", "step", "CHAT_MODEL", null);
    Span inner = Tracing.start("k", "inner", "TOOL", null);
    Tracing.end(inner, null, null);
    Tracing.end(step, null, null);
    Tracing.end(call, null, null);

    assertEquals(List.of(inner, step, call), ended);
    assertEquals(step.spanId(), inner.parentSpanId());
  }

  @Test
  void aStepEndingOnAnotherThreadAfterTheLoopMovedOnIsHandedOverOnce() throws Exception {
    List<Span> shared = java.util.Collections.synchronizedList(ended);
    Tracing.install(recorder(shared), 1.0);
    Span call = Tracing.start("k", "call", "CHAIN", null);
    Span first = Tracing.startStep("k", "step", "CHAT_MODEL", null);
    Tracing.detach(first); // an asynchronous step: it returns before it ends
    Span second = Tracing.startStep("k", "step", "CHAT_MODEL", null);
    Tracing.end(second, null, null);
    Thread ender = new Thread(() -> Tracing.end(first, null, null));
    ender.start();
    ender.join();
    Tracing.end(call, null, null);

    assertEquals(List.of(second, first, call), ended);
  }

  @Test
  void aStepWithoutAParentIsAPlainRootSpan() {
    Tracing.install(recorder(ended), 1.0);
    Span step = Tracing.startStep("k", "step", "CHAT_MODEL", null);
    Tracing.end(step, null, null);
    assertTrue(step.isRoot());
    assertEquals(List.of(step), ended);
  }

  @Test
  void stepsOfAnUnsampledCallAreNotRecorded() {
    Tracing.install(recorder(ended), 0.0);
    Span call = Tracing.start("k", "call", "CHAT_MODEL", null);
    Span step = Tracing.startStep("k", "step", "CHAT_MODEL", null);
    assertSame(Tracing.NOT_RECORDED, step);
    Tracing.end(step, null, null);
    Tracing.end(call, null, null);
    assertTrue(ended.isEmpty());
    assertNull(Tracing.current());
  }

  @Test
  void theStepsOfAnAsynchronousLoopFindTheirCallFromOtherThreadsByTheLoopKey() throws Exception {
    List<Span> shared = java.util.Collections.synchronizedList(ended);
    Tracing.install(recorder(shared), 1.0);
    Object loopKey = new Object();
    Span call = Tracing.start("k", "AsyncModels.generateContent", "CHAT_MODEL", null);
    java.util.concurrent.CompletableFuture<String> firstResponse =
        new java.util.concurrent.CompletableFuture<>();
    Span first = Tracing.startStep("k", "step", "CHAT_MODEL", "1", loopKey);
    java.util.concurrent.CompletableFuture<String> handedOn =
        Tracing.endBeforeContinuing(first, firstResponse);
    // The library continues from the step's future on the thread that completes it.
    Span[] second = new Span[1];
    java.util.concurrent.CompletableFuture<Void> loop = handedOn.thenAccept(response -> {
      assertNull(Tracing.current());
      second[0] = Tracing.startStep("k", "step", "CHAT_MODEL", "2", loopKey);
      Tracing.end(second[0], "answer", null);
    });
    Tracing.endWhenDone(call, loop);
    assertNull(Tracing.current());

    Thread completer = new Thread(() -> firstResponse.complete("call a tool"));
    completer.start();
    completer.join();

    assertEquals(List.of(first, second[0], call), shared,
        "each step ends before what continues from it, the call last");
    assertEquals(call.spanId(), second[0].parentSpanId());
    assertEquals(call.traceIdLow(), second[0].traceIdLow());
    assertEquals(2, call.stepCount());
  }

  @Test
  void anUnsampledAsynchronousLoopRecordsNoneOfItsSteps() throws Exception {
    Tracing.install(recorder(ended), 0.0);
    Object loopKey = new Object();
    Span call = Tracing.start("k", "call", "CHAT_MODEL", null);
    Span first = Tracing.startStep("k", "step", "CHAT_MODEL", null, loopKey);
    Tracing.endBeforeContinuing(first, java.util.concurrent.CompletableFuture.completedFuture("x"));
    Tracing.endWhenDone(call, new java.util.concurrent.CompletableFuture<>());
    Tracing.install(recorder(ended), 1.0);
    Span[] later = new Span[1];
    Thread other = new Thread(() -> {
      later[0] = Tracing.startStep("k", "step", "CHAT_MODEL", null, loopKey);
      Tracing.end(later[0], null, null);
    });
    other.start();
    other.join();

    assertSame(Tracing.NOT_RECORDED, later[0], "a step of an unsampled call is not a new trace");
    assertTrue(ended.isEmpty());
    Span next = Tracing.start("k", "next", "CHAT_MODEL", null);
    assertTrue(next.isRoot(), "the unsampled asynchronous call left no context behind");
    Tracing.end(next, null, null);
    assertEquals(List.of(next), ended);
  }

  @Test
  void aCallDelegatingToItsOwnKindIsOneSpanButOtherKindsNestUnderIt() {
    Tracing.install(recorder(ended), 1.0);

    Span outer = Tracing.startOutermost("tool", "weather", "TOOL", "args");
    assertNull(Tracing.startOutermost("tool", "weather", "TOOL", "args"),
        "the overload it delegates to is not a second span");
    Span model = Tracing.startOutermost("chat", "ChatModel", "CHAT_MODEL", "prompt");
    Span toolInsideModel = Tracing.startOutermost("tool", "weather", "TOOL", "args");
    Tracing.end(toolInsideModel, "sunny", null);
    Tracing.end(model, "answer", null);
    Tracing.end(null, "ignored", null);
    Tracing.end(outer, "sunny", null);

    assertEquals(List.of(toolInsideModel, model, outer), ended);
    assertEquals(model.spanId(), toolInsideModel.parentSpanId());
    assertEquals(outer.spanId(), model.parentSpanId());
    assertNull(Tracing.current());
  }
}
