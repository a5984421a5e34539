package org.mlflow.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A call marked as a pending root becomes a span only when something is traced inside it. */
class PendingRootTest {

  private final RecordingSink recorder = new RecordingSink();
  private final List<Span> ended = recorder.ended();
  private final List<Span> roots = recorder.roots();
  private final List<String> reads = new ArrayList<>();

  @BeforeEach
  void registerCapture() {
    Tracing.registerRootCapture("http", new RootCapture() {
      @Override
      public String name(Object call) {
        reads.add("name " + call);
        return "POST " + call;
      }

      @Override
      public Object request(Object call) {
        reads.add("request " + call);
        return "snapshot of " + call;
      }

      @Override
      public Object response(Object result) {
        reads.add("response " + result);
        return "status of " + result;
      }
    });
  }

  @AfterEach
  void uninstall() {
    RecordingSink.uninstall();
  }

  @Test
  void aCallWithNothingTracedInsideLeavesNoSpanAndReadsNothing() {
    Tracing.install(recorder, 1.0);

    assertTrue(Tracing.pendRoot("http", "CHAIN", "/health"));
    assertNull(Tracing.current());
    Tracing.closePendingRoot("200", null);

    assertEquals(List.of(), ended);
    assertEquals(List.of(), roots);
    assertEquals(List.of(), reads);
    Span later = Tracing.start("k", "Completions", "CHAT_MODEL", null);
    assertTrue(later.isRoot(), "the next call on the thread starts a trace of its own");
    Tracing.end(later, null, null);
  }

  @Test
  void theFirstSpanInsideMakesTheRootItsParent() {
    Tracing.install(recorder, 1.0);

    assertTrue(Tracing.pendRoot("http", "CHAIN", "/chat"));
    Span first = Tracing.start("k", "Completions", "CHAT_MODEL", "request");
    Tracing.end(first, "response", null);
    Span second = Tracing.startStep("k", "Completions", "CHAT_MODEL", "request");
    Tracing.end(second, "response", null);
    Tracing.closePendingRoot("200", null);
    assertNull(Tracing.current());

    assertEquals(1, roots.size());
    Span root = roots.get(0);
    assertEquals(List.of(first, second, root), ended);
    assertEquals("POST /chat", root.name());
    assertEquals("CHAIN", root.spanType());
    assertEquals("http", root.contentKind());
    assertEquals("snapshot of /chat", root.request());
    assertEquals("status of 200", root.response());
    assertEquals(root.spanId(), first.parentSpanId());
    assertEquals(root.spanId(), second.parentSpanId());
    assertEquals(root.traceIdLow(), second.traceIdLow());
    assertEquals(List.of("name /chat", "request /chat", "response 200"), reads);
  }

  @Test
  void aLoopStartedInsideTheRequestKeepsItsStepsUnderTheLibraryCall() {
    Tracing.install(recorder, 1.0);

    Tracing.pendRoot("http", "CHAIN", "/chat");
    Span call = Tracing.start("k", "Models.generateContent", "CHAT_MODEL", null);
    Span first = Tracing.startStep("k", "Models.privateGenerateContent", "CHAT_MODEL", null);
    Tracing.end(first, null, null);
    Span second = Tracing.startStep("k", "Models.privateGenerateContent", "CHAT_MODEL", null);
    Tracing.end(second, null, null);
    Tracing.end(call, null, null);
    Tracing.closePendingRoot("200", null);

    Span root = roots.get(0);
    assertEquals(root.spanId(), call.parentSpanId());
    assertEquals(call.spanId(), first.parentSpanId());
    assertEquals(call.spanId(), second.parentSpanId());
    assertEquals(2, call.stepCount());
    assertEquals(List.of(first, second, call, root), ended);
  }

  @Test
  void theRootKeepsTheErrorTheCallThrew() {
    Tracing.install(recorder, 1.0);
    IllegalStateException failure = new IllegalStateException("boom");

    Tracing.pendRoot("http", "CHAIN", "/chat");
    Tracing.end(Tracing.start("k", "Completions", "CHAT_MODEL", null), null, null);
    Tracing.closePendingRoot(null, failure);

    assertSame(failure, roots.get(0).error());
  }

  @Test
  void aNestedOrInnerCallIsNotASecondRoot() {
    Tracing.install(recorder, 1.0);

    assertTrue(Tracing.pendRoot("http", "CHAIN", "/outer"));
    assertFalse(Tracing.pendRoot("http", "CHAIN", "/forwarded"), "a forward inside the request");
    Span call = Tracing.start("k", "Completions", "CHAT_MODEL", null);
    assertFalse(Tracing.pendRoot("http", "CHAIN", "/inside-a-span"));
    Tracing.end(call, null, null);
    Tracing.closePendingRoot("200", null);

    assertEquals("POST /outer", roots.get(0).name());
    assertEquals(1, roots.size());
  }

  @Test
  void anUnsampledRootLeavesEverythingInsideUnrecorded() {
    Tracing.install(recorder, 0.0);

    assertTrue(Tracing.pendRoot("http", "CHAIN", "/chat"));
    assertSame(Tracing.NOT_RECORDED, Tracing.start("k", "Completions", "CHAT_MODEL", null));
    Tracing.end(Tracing.NOT_RECORDED, null, null);
    assertSame(Tracing.NOT_RECORDED, Tracing.start("k", "Completions", "CHAT_MODEL", null));
    Tracing.end(Tracing.NOT_RECORDED, null, null);
    Tracing.closePendingRoot("200", null);

    assertNull(Tracing.current());
    assertEquals(List.of(), ended);
    Tracing.install(recorder, 1.0);
    Span next = Tracing.start("k", "Completions", "CHAT_MODEL", null);
    assertTrue(next.isRoot(), "the thread is clean for the next request");
    Tracing.end(next, null, null);
    assertEquals(List.of(next), ended);
  }

  @Test
  void nothingIsPendingBeforeTheAgentIsInstalled() {
    assertFalse(Tracing.pendRoot("http", "CHAIN", "/chat"));
  }
}
