package org.mlflow.agent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.bootstrap.Tracing;
import org.mlflow.agent.export.ExportedSpan;
import org.mlflow.agent.export.ExportedTrace;
import org.mlflow.agent.export.MlflowAttributes;
import org.mlflow.agent.integration.ContentRenderer;
import org.mlflow.agent.sink.TraceSink;

class ExporterTest {

  private final AgentStats stats = new AgentStats();
  private final BlockableSink sink = new BlockableSink();
  private final ContentRenderer chat = (span, content) ->
      content.inputs(span.request()).outputs(span.response());

  @AfterEach
  void uninstall() {
    Tracing.install(null, 1.0);
  }

  @Test
  void anExporterThatTakesNoSpansMakesTheAppLetGoOfTheirContentPastItsBudget() throws Exception {
    // Calls of 100,000 characters each way, some 200,000 characters of JSON: two fit in the budget
    // at the size assumed before the first is rendered (256 K characters) and at their own size.
    Exporter exporter = exporter(1_120_000, () -> true);
    exporter.start();
    String big = "x".repeat(100_000);
    List<Span> calls = new java.util.ArrayList<>();
    try {
      assertEquals(0 + 2, exporter.keepContentBefore(), "two may wait before one is rendered");
      calls.add(call(big)); // position 0: rendered, which teaches the exporter the calls' size
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (exporter.keepContentBefore() == 2 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertEquals(1 + 2, exporter.keepContentBefore(), "one taken, room for two more");

      sink.blockNextExport();
      calls.add(call(big)); // position 1: taken by the exporter, which then gets stuck in the sink
      assertTrue(sink.stuck.await(10, TimeUnit.SECONDS));
      for (int i = 0; i < 5; i++) {
        calls.add(call(big)); // positions 2 to 6 wait in the ring; from 3 on, past the budget
      }
    } finally {
      sink.unblock.countDown();
      exporter.shutdown(10_000);
    }

    assertEquals(7, sink.traces.size());
    List<Boolean> letGo = calls.stream().map(Span::contentDropped)
        .collect(java.util.stream.Collectors.toList());
    assertEquals(List.of(false, false, false, true, true, true, true), letGo,
        "from position 3 on, the app thread kept no reference to the calls' content");
    assertEquals(null, calls.get(6).request());
    assertEquals(null, calls.get(6).response());
    // Position 2 kept its content but met a ring over budget: the exporter rendered it bare too.
    List<Boolean> exportedWithContent = sink.traces.stream()
        .map(trace -> trace.spans().get(0).attribute(MlflowAttributes.SPAN_INPUTS) != null)
        .collect(java.util.stream.Collectors.toList());
    assertEquals(List.of(true, true, false, false, false, false, false), exportedWithContent);
    assertEquals(5, stats.spansWithoutContent(), "each one counted");
    ExportedSpan bare = sink.traces.get(6).spans().get(0);
    assertEquals("OK", bare.status());
    assertTrue(bare.attributes().containsKey(SpanRenderer.CONTENT_DROPPED));
  }

  @Test
  void beforeTheFirstSpanIsRenderedOnesPastTheAssumedBudgetLetGoOfContentOnlyInAFillingHeap() {
    // A budget for four spans of the assumed size; the exporter has not started, as at a slow
    // start-up when the first rendering waits for classes to load.
    assertEquals(List.of(false, false, false, false, true, true), contentLetGo(() -> true),
        "a filling heap: from the fifth on, the app thread let go of the content");
    assertEquals(List.of(false, false, false, false, false, false), contentLetGo(() -> false),
        "room in the heap: small calls keep their content while their size is not known yet");
  }

  private List<Boolean> contentLetGo(BooleanSupplier heapFilling) {
    Exporter exporter = exporter(4 * 2 * ContentBacklog.ASSUMED_SPAN_CHARS, heapFilling);
    List<Boolean> letGo = new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) {
      letGo.add(call("small").contentDropped());
    }
    exporter.shutdown(1_000);
    return letGo;
  }

  /** An exporter into {@link #sink} whose content budget is {@code budgetBytes}, installed. */
  private Exporter exporter(long budgetBytes, BooleanSupplier heapFilling) {
    TraceAssembler assembler = new TraceAssembler(
        new SpanRenderer(Map.of("chat", chat), ContentPolicy.keepAll()),
        new TraceBuilder("0", Map.of()), sink, stats, 60, 100, new ContentBacklog(budgetBytes));
    Exporter exporter = new Exporter(16, assembler, sink, stats, heapFilling);
    Tracing.install(exporter, 1.0);
    return exporter;
  }

  private static Span call(String content) {
    Span span = Tracing.start("chat", "Completions", "CHAT_MODEL", content);
    Tracing.end(span, content, null);
    return span;
  }

  /** Ships nothing; can hold the exporter inside one export, as a sink without CPU would. */
  private static final class BlockableSink implements TraceSink {
    final List<ExportedTrace> traces = new CopyOnWriteArrayList<>();
    final CountDownLatch stuck = new CountDownLatch(1);
    final CountDownLatch unblock = new CountDownLatch(1);
    private volatile boolean blockNext;

    void blockNextExport() {
      blockNext = true;
    }

    @Override
    public void export(ExportedTrace trace) {
      traces.add(trace);
      if (blockNext) {
        blockNext = false;
        stuck.countDown();
        try {
          unblock.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }

    @Override
    public String describe() {
      return "test";
    }

    @Override
    public void close() {}
  }
}
