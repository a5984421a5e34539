package org.mlflow.agent.jcstress;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.bootstrap.SpanSink;
import org.mlflow.agent.bootstrap.Tracing;
import org.mlflow.agent.core.AgentStats;
import org.mlflow.agent.core.ContentPolicy;
import org.mlflow.agent.core.SpanRenderer;
import org.mlflow.agent.core.SpanRing;
import org.mlflow.agent.core.TraceAssembler;
import org.mlflow.agent.core.TraceBuilder;
import org.mlflow.agent.export.ExportedTrace;
import org.mlflow.agent.sink.TraceSink;

/**
 * One test's own agent: the ring application threads hand ended spans to, and the assembler the
 * exporter feeds from it. The bridge's one global sink routes each span to its test's ring, which
 * the test passes as the span's request, so concurrent test instances never share state.
 */
final class AssemblyFixture {

  static {
    Tracing.install(new RoutingSink(), 1.0);
  }

  final SpanRing<Span> ended = new SpanRing<>(16);
  final AgentStats stats = new AgentStats();
  final List<ExportedTrace> shipped = new CopyOnWriteArrayList<>();
  final TraceAssembler assembler = new TraceAssembler(
      new SpanRenderer(Map.of(), ContentPolicy.keepAll()),
      new TraceBuilder("0", Map.of()),
      new CapturingSink(shipped), stats, 300, 1024);

  /** Starts a span on this thread under its current span, and leaves this thread as it was. */
  Span start(String name) {
    return Tracing.start("jcstress", name, "CHAIN", ended);
  }

  /** What the exporter thread does once: hand the ended spans to the assembler. */
  void exportOnce(long nowNanos) {
    ended.drain(span -> assembler.spanEnded(span, nowNanos), Integer.MAX_VALUE);
  }

  int lateDrops() {
    return stats.spansDropped().getOrDefault(AgentStats.DROP_LATE, 0L).intValue();
  }

  int spansShipped() {
    return shipped.stream().mapToInt(trace -> trace.spans().size()).sum();
  }

  private static final class RoutingSink implements SpanSink {
    @Override
    public void rootStarted(Span root) {
      // each test hands its roots to its assembler itself
    }

    @Override
    @SuppressWarnings("unchecked")
    public void spanEnded(Span span) {
      ((SpanRing<Span>) span.request()).offer(span);
    }

    @Override
    public void adviceFailed(Throwable error) {
      throw new AssertionError(error);
    }
  }

  private static final class CapturingSink implements TraceSink {
    private final List<ExportedTrace> shipped;

    CapturingSink(List<ExportedTrace> shipped) {
      this.shipped = shipped;
    }

    @Override
    public void export(ExportedTrace trace) {
      shipped.add(trace);
    }

    @Override
    public String describe() {
      return "memory";
    }

    @Override
    public void close() {}
  }
}
