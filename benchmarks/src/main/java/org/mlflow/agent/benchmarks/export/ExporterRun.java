package org.mlflow.agent.benchmarks.export;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.mlflow.agent.bootstrap.Tracing;
import org.mlflow.agent.core.AgentStats;
import org.mlflow.agent.core.ContentPolicy;
import org.mlflow.agent.core.Exporter;
import org.mlflow.agent.core.SpanRenderer;
import org.mlflow.agent.core.TraceAssembler;
import org.mlflow.agent.core.TraceBuilder;
import org.mlflow.agent.sink.TraceSink;

/**
 * Spans per second the agent's export path sustains into one sink: chat spans recorded through
 * {@code Tracing} into the real {@link Exporter} (ring, exporter thread, {@link TraceAssembler},
 * {@link SpanRenderer} with the OpenAI renderer, {@link TraceBuilder}) and on into the sink, wired
 * as {@code AgentInstaller} wires them at default settings.
 *
 * <p>The producer keeps at most {@code maxInFlight} spans between recorded and delivered (at most
 * half the ring): the exporter never runs dry and the ring never drops, so what is measured is
 * the export path's own pace, not the drop path, and the producer sleeps instead of competing for
 * the CPU. A trace counts when the sink reports it delivered (for the server sink: sent).
 *
 * <p>What is measured is the full-content rate: the agent renders a span bare (no inputs or
 * outputs, microseconds) when the content waiting in its ring is over its heap budget, and a
 * figure made of bare spans says nothing about rendering. So whenever a span recorded under the
 * current limit goes out bare, the producer halves how many spans it keeps in flight (during the
 * warm-up as during the window), and the result says how many of the window's spans went out bare.
 */
final class ExporterRun {

  static final int RING_SIZE = 8192;
  /** Enough to keep the exporter busy, never enough to fill the ring. */
  static final int MAX_IN_FLIGHT = RING_SIZE / 2;
  private static final long SHUTDOWN_MILLIS = TimeUnit.SECONDS.toMillis(30);
  /** Keeps the exporter from running dry between the producer's naps, even with big calls. */
  private static final int MIN_IN_FLIGHT = 8;

  /** What one run measured. */
  static final class Result {
    final double spansPerSecond;
    final long delivered;
    final Map<String, Long> dropped;
    /** Spans of the window exported without their content (over the agent's heap budget). */
    final long bare;
    /** The most spans in flight at the end: below the ring's half when bare spans showed. */
    final int inFlight;
    /** What the caller saw of the sink at the end, for the report. */
    final String note;

    Result(double spansPerSecond, long delivered, Map<String, Long> dropped, long bare,
        int inFlight) {
      this(spansPerSecond, delivered, dropped, bare, inFlight, "");
    }

    private Result(double spansPerSecond, long delivered, Map<String, Long> dropped, long bare,
        int inFlight, String note) {
      this.spansPerSecond = spansPerSecond;
      this.delivered = delivered;
      this.dropped = dropped;
      this.bare = bare;
      this.inFlight = inFlight;
      this.note = note;
    }

    Result withNote(String note) {
      return new Result(spansPerSecond, delivered, dropped, bare, inFlight, note);
    }
  }

  private ExporterRun() {}

  /**
   * @param sink the sink the exporter ships to, closed at the end
   * @param delivered how many traces the sink has delivered so far
   * @param maxInFlight spans recorded but not yet delivered, at most
   */
  static Result measure(ChatSpans chat, TraceSink sink, LongSupplier delivered, int maxInFlight,
      double warmupSeconds, double seconds) {
    AgentStats stats = new AgentStats();
    TraceAssembler assembler = new TraceAssembler(
        new SpanRenderer(chat.renderers(), new ContentPolicy(true, 1_000_000)),
        new TraceBuilder("0", Map.of()), sink, stats, 300, RING_SIZE * 4);
    Exporter exporter = new Exporter(RING_SIZE, assembler, sink, stats);
    exporter.start();
    Tracing.install(exporter, 1.0);
    try {
      long offered = 0;
      long start = System.nanoTime();
      long measureFrom = start + (long) (warmupSeconds * 1e9);
      long measureUntil = measureFrom + (long) (seconds * 1e9);
      long deliveredAtStart = -1;
      long bareAtStart = 0;
      long bareSeen = 0;
      int inFlight = maxInFlight;
      long offeredAtLimit = 0;
      long now;
      while ((now = System.nanoTime()) < measureUntil) {
        if (deliveredAtStart < 0 && now >= measureFrom) {
          deliveredAtStart = delivered.getAsLong();
          bareAtStart = stats.spansWithoutContent();
          measureFrom = now;
        }
        long bare = stats.spansWithoutContent();
        if (bare > bareSeen) {
          bareSeen = bare;
          // Spans recorded before the last halving may still go out bare: not a reason to halve.
          if (delivered.getAsLong() >= offeredAtLimit) {
            inFlight = Math.max(MIN_IN_FLIGHT, inFlight / 2);
            offeredAtLimit = offered;
          }
        }
        if (offered - delivered.getAsLong() >= inFlight) {
          LockSupport.parkNanos(100_000);
          continue;
        }
        chat.record();
        offered++;
      }
      long deliveredInWindow = delivered.getAsLong() - deliveredAtStart;
      long bareInWindow = stats.spansWithoutContent() - bareAtStart;
      return new Result(deliveredInWindow * 1e9 / (now - measureFrom), deliveredInWindow,
          droppedAfterShutdown(exporter, stats), bareInWindow, inFlight);
    } finally {
      stop(exporter);
    }
  }

  /** The exporter adds its ring's drops to the stats when it stops. */
  private static Map<String, Long> droppedAfterShutdown(Exporter exporter, AgentStats stats) {
    stop(exporter);
    return stats.spansDropped();
  }

  /** As at the JVM's exit: no new spans, then the exporter drains and closes the sink. */
  private static void stop(Exporter exporter) {
    Tracing.install(null, 1.0);
    exporter.shutdown(SHUTDOWN_MILLIS);
  }
}
