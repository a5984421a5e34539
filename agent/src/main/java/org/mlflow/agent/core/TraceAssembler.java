package org.mlflow.agent.core;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.export.ExportedSpan;
import org.mlflow.agent.sink.TraceSink;

/**
 * Groups ended spans into traces. A trace is complete when its root ends; a root that has not
 * ended after the trace timeout is closed as an error together with the children that did end.
 * Children that end after their trace was shipped are counted as late and dropped.
 *
 * <p>Exporter thread only. The number of spans waiting for their root is bounded; past the bound
 * new children are dropped and counted, so a stream of never-ending roots cannot grow the heap.
 */
public final class TraceAssembler {

  static final int MAX_REMEMBERED_CLOSED = 4096;
  /**
   * How long a root may be seen ended before its end event arrives, before it is taken as dropped
   * by a full ring and its trace shipped without it: under load the event may just be waiting in
   * the ring, and shipping early would fill the memory of traces shipped before their end.
   */
  public static final long RECOVERY_GRACE_NANOS = 10_000_000_000L;

  private final SpanRenderer renderer;
  private final TraceBuilder builder;
  private final TraceSink sink;
  private final AgentStats stats;
  private final long timeoutNanos;
  private final long timeoutSeconds;
  private final int maxWaitingSpans;
  private final Map<TraceKey, PendingTrace> pending = new LinkedHashMap<>();
  /**
   * Traces shipped before their root's end event arrived (closed by the timeout, or recovered
   * after a dropped end), remembered boundedly so a late end does not ship them twice.
   */
  /** True: shipped as it ended (its end event was late or dropped); false: closed by timeout. */
  private final Map<TraceKey, Boolean> shippedBeforeTheirEnd = new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<TraceKey, Boolean> eldest) {
      return size() > MAX_REMEMBERED_CLOSED;
    }
  };
  private final ContentBacklog backlog;
  private int waitingSpans;

  public TraceAssembler(SpanRenderer renderer, TraceBuilder builder, TraceSink sink,
      AgentStats stats, long timeoutSeconds, int maxWaitingSpans) {
    this(renderer, builder, sink, stats, timeoutSeconds, maxWaitingSpans,
        ContentBacklog.forThisJvm());
  }

  TraceAssembler(SpanRenderer renderer, TraceBuilder builder, TraceSink sink, AgentStats stats,
      long timeoutSeconds, int maxWaitingSpans, ContentBacklog backlog) {
    this.backlog = backlog;
    this.renderer = renderer;
    this.builder = builder;
    this.sink = sink;
    this.stats = stats;
    this.timeoutSeconds = timeoutSeconds;
    this.timeoutNanos = timeoutSeconds * 1_000_000_000L;
    this.maxWaitingSpans = maxWaitingSpans;
  }

  /** A root began; remembered so it can be closed if it never ends. */
  public void rootStarted(Span root, long nowNanos) {
    if (root.endEpochNanos() != 0) {
      return; // it already ended and its trace was handled
    }
    pendingFor(root, nowNanos).root = root;
  }

  /**
   * How many more ended spans may wait in the ring with their content: past that, the application
   * thread lets go of a span's content before handing it over ({@link Exporter}).
   */
  public long spansWithContentAllowed() {
    return backlog.spansWithContentAllowed();
  }

  /** Whether {@link #spansWithContentAllowed} counts with a size measured, not assumed. */
  public boolean contentSizeKnown() {
    return backlog.sizeKnown();
  }

  /** How many ended spans wait in the ring behind the one about to be handled. */
  public void spansInRing(long waiting) {
    backlog.spansInRing(waiting);
  }

  public void spanEnded(Span span, long nowNanos) {
    if (span.isRoot()) {
      Boolean recovered = shippedBeforeTheirEnd.remove(TraceKey.of(span));
      if (recovered != null) {
        // Its trace already went out with this root in it (as it ended, or closed by the
        // timeout): the span was exported, so it is neither shipped again nor counted as dropped.
        if (recovered) {
          stats.recoveredRootEnded();
        }
        return;
      }
      PendingTrace trace = pending.remove(TraceKey.of(span));
      List<ExportedSpan> spans = new ArrayList<>();
      spans.add(render(span));
      if (trace != null) {
        release(trace);
        spans.addAll(trace.children);
      }
      ship(spans);
      return;
    }
    if (waitingSpans >= maxWaitingSpans) {
      stats.spansDropped(AgentStats.DROP_BACKLOG_FULL, 1);
      return;
    }
    PendingTrace trace = pendingFor(span, nowNanos);
    long chars;
    if (span.contentDropped() || backlog.overBudget()) {
      trace.children.add(renderBare(span));
      chars = 0; // a bare span holds no content
    } else {
      ExportedSpan child = renderer.render(span);
      trace.children.add(child);
      chars = backlog.rendered(child);
    }
    trace.contentChars += chars;
    backlog.held(chars);
    waitingSpans++;
  }

  /** The span with its content, or bare when the content waiting already fills its budget. */
  private ExportedSpan render(Span span) {
    if (span.contentDropped() || backlog.overBudget()) {
      return renderBare(span);
    }
    ExportedSpan rendered = renderer.render(span);
    backlog.rendered(rendered);
    return rendered;
  }

  private ExportedSpan renderBare(Span span) {
    stats.contentDropped();
    return renderer.renderBare(span);
  }

  private void release(PendingTrace trace) {
    waitingSpans -= trace.children.size();
    backlog.released(trace.contentChars);
  }

  /**
   * Ships traces whose root ended without its end reaching the exporter, closes traces whose root
   * has not ended within the timeout, and drops orphaned children.
   */
  public void expire(long nowNanos) {
    Iterator<PendingTrace> traces = pending.values().iterator();
    while (traces.hasNext()) {
      PendingTrace trace = traces.next();
      if (trace.root != null && trace.root.isFinished()) {
        if (trace.rootSeenEndedNanos == 0) {
          trace.rootSeenEndedNanos = nowNanos;
        }
        if (nowNanos - trace.rootSeenEndedNanos < RECOVERY_GRACE_NANOS) {
          continue; // its end event is probably still in the ring
        }
        // The root ended but its end was dropped by a full ring (or is still on its way): ship it
        // as it really ended, and remember it so an end that does arrive does not ship it twice.
        traces.remove();
        shippedBeforeTheirEnd.put(TraceKey.of(trace.root), Boolean.TRUE);
        stats.rootRecovered();
        release(trace);
        List<ExportedSpan> spans = new ArrayList<>();
        spans.add(render(trace.root));
        spans.addAll(trace.children);
        ship(spans);
        continue;
      }
      if (nowNanos - trace.firstSeenNanos < timeoutNanos) {
        continue;
      }
      traces.remove();
      release(trace);
      if (trace.root == null) {
        // Their root ended earlier (these ended late) or its start was never seen.
        stats.spansDropped(AgentStats.DROP_LATE, trace.children.size());
        continue;
      }
      shippedBeforeTheirEnd.put(TraceKey.of(trace.root), Boolean.FALSE);
      List<ExportedSpan> spans = new ArrayList<>();
      spans.add(renderer.renderTimedOut(trace.root, wallClockNanos(), timeoutSeconds));
      spans.addAll(trace.children);
      stats.traceTimedOut();
      ship(spans);
    }
  }

  /** Traces waiting for their root. */
  public int pendingTraces() {
    return pending.size();
  }

  private PendingTrace pendingFor(Span span, long nowNanos) {
    return pending.computeIfAbsent(TraceKey.of(span), key -> new PendingTrace(nowNanos));
  }

  private void ship(List<ExportedSpan> spans) {
    sink.export(builder.build(spans));
    stats.traceCompleted();
  }

  private static long wallClockNanos() {
    return System.currentTimeMillis() * 1_000_000L;
  }

  private static final class PendingTrace {
    final long firstSeenNanos;
    final List<ExportedSpan> children = new ArrayList<>();
    /** The rendered content of {@link #children}, in characters. */
    long contentChars;
    Span root;
    /** When expiry first saw the root ended without its end event; 0 until then. */
    long rootSeenEndedNanos;

    PendingTrace(long firstSeenNanos) {
      this.firstSeenNanos = firstSeenNanos;
    }
  }

  private static final class TraceKey {
    final long high;
    final long low;

    private TraceKey(long high, long low) {
      this.high = high;
      this.low = low;
    }

    static TraceKey of(Span span) {
      return new TraceKey(span.traceIdHigh(), span.traceIdLow());
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof TraceKey
          && ((TraceKey) other).high == high
          && ((TraceKey) other).low == low;
    }

    @Override
    public int hashCode() {
      return Objects.hash(high, low);
    }
  }
}
