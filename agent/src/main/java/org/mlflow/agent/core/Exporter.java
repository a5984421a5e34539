package org.mlflow.agent.core;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.mlflow.agent.AgentLog;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.bootstrap.SpanSink;
import org.mlflow.agent.sink.TraceSink;

/**
 * The bridge's far side and the one exporter thread.
 *
 * <p>Application threads only offer spans to bounded rings (never blocking; a full ring drops and
 * counts). The exporter thread drains them in batches: it is woken once per {@link #BATCH} spans,
 * or by its timer, never per span, so a busy app pays no wake-up syscalls.
 */
public final class Exporter implements SpanSink {

  static final int BATCH = 256;
  static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
  static final long EXPIRY_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final SpanRing<Span> ended;
  private final SpanRing<Span> startedRoots;
  private final TraceAssembler assembler;
  private final TraceSink sink;
  private final AgentStats stats;
  private final Thread thread;
  /**
   * Spans ended at or past this position of the ring keep no content. The exporter sets it from
   * its content budget ({@link TraceAssembler#spansWithContentAllowed}) as it takes spans;
   * application threads compare it with the ring's next position. So an exporter that gets no CPU
   * cannot let the ring, bounded in spans and not in bytes, keep every request and response the
   * application makes from the garbage collector.
   */
  private volatile long keepContentBefore;
  /**
   * False until the exporter has rendered a span with its content: till then {@link
   * #keepContentBefore} counts with an assumed size, so a span past it lets go of its content only
   * when the heap is also filling. A small call's content is not lost at start-up for an exporter
   * whose first rendering is slow; a large call's cannot fill the heap meanwhile.
   */
  private volatile boolean contentSizeKnown;
  private final BooleanSupplier heapFilling;
  private volatile boolean stopping;
  /** When the exporter must be done (epoch millis), set by {@link #shutdown}. */
  private volatile long exitDeadlineMillis = Long.MAX_VALUE;

  public Exporter(int ringSize, TraceAssembler assembler, TraceSink sink, AgentStats stats) {
    this(ringSize, assembler, sink, stats, Exporter::heapMoreThanHalfFull);
  }

  Exporter(int ringSize, TraceAssembler assembler, TraceSink sink, AgentStats stats,
      BooleanSupplier heapFilling) {
    this.heapFilling = heapFilling;
    this.ended = new SpanRing<>(ringSize);
    this.startedRoots = new SpanRing<>(ringSize);
    this.assembler = assembler;
    this.sink = sink;
    this.stats = stats;
    this.thread = new Thread(this::run, "mlflow-agent-exporter");
    this.thread.setDaemon(true);
    this.keepContentBefore = assembler.spansWithContentAllowed();
  }

  /** The ring position from which ended spans keep no content; for tests. */
  long keepContentBefore() {
    return keepContentBefore;
  }

  public void start() {
    thread.start();
  }

  @Override
  public void rootStarted(Span root) {
    // A dropped start only means this trace cannot be closed if its root never ends.
    startedRoots.offer(root);
  }

  @Override
  public void spanEnded(Span span) {
    if (ended.nextPosition() >= keepContentBefore
        && (contentSizeKnown || heapFilling.getAsBoolean())) {
      span.dropContent();
    }
    long position = ended.offer(span);
    if (position >= 0 && (position & (BATCH - 1)) == BATCH - 1) {
      LockSupport.unpark(thread);
    }
  }

  @Override
  public void adviceFailed(Throwable error) {
    AgentLog.errorOnce("advice:" + error.getClass().getName(),
        "advice failed inside a library call (the call itself went on)", error);
  }

  /**
   * Stops the exporter: drains what the rings hold, ships complete traces and closes the sink,
   * waiting at most {@code timeoutMillis}. Never hangs the JVM's exit: the thread is a daemon.
   */
  public boolean shutdown(long timeoutMillis) {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    sink.exitBy(deadline);
    exitDeadlineMillis = deadline;
    stopping = true;
    LockSupport.unpark(thread);
    try {
      thread.join(timeoutMillis);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    }
    return !thread.isAlive();
  }

  private void run() {
    try {
      long lastExpiry = System.nanoTime();
      while (!stopping) {
        int drained = drainSafely();
        long now = System.nanoTime();
        // Expire when idle, and at least once a second under constant load.
        if (drained == 0 || now - lastExpiry > EXPIRY_INTERVAL_NANOS) {
          assembler.expire(now);
          lastExpiry = now;
        }
        if (drained == 0) {
          LockSupport.parkNanos(this, IDLE_PARK_NANOS);
        }
      }
      // The last spans, ended before the stop, while half the exit time is left: the sink needs
      // the rest to send or spool the traces. What is still unread then is counted, not hidden.
      long drainUntil = System.currentTimeMillis()
          + Math.max(0, exitDeadlineMillis - System.currentTimeMillis()) / 2;
      while (System.currentTimeMillis() < drainUntil && drainSafely() > 0) {
        // next batch
      }
      long unread = ended.drain(span -> { }, Integer.MAX_VALUE);
      if (unread > 0) {
        stats.spansDropped(AgentStats.DROP_EXIT_DEADLINE, unread);
      }
    } finally {
      // A root whose end the ring dropped but which expiry shipped as it ended was not lost.
      long lost = ended.dropped() - stats.rootsExportedDespiteADroppedEnd();
      if (lost > 0) {
        stats.spansDropped(AgentStats.DROP_RING_FULL, lost);
      }
      sink.close();
    }
  }

  /**
   * One batch; a failure costs the span it happened on (counted), never the exporter thread: the
   * rest of the batch stays in the ring for the next round.
   */
  private int drainSafely() {
    try {
      return drainOnce();
    } catch (Throwable unexpected) {
      stats.spansDropped(AgentStats.DROP_EXPORTER_FAILED, 1);
      AgentLog.errorOnce("exporter", "the exporter failed on a batch of spans", unexpected);
      return 1;
    }
  }

  private int drainOnce() {
    long now = System.nanoTime();
    startedRoots.drain(root -> assembler.rootStarted(root, now), Integer.MAX_VALUE);
    return ended.drain(span -> {
      assembler.spansInRing(ended.waiting());
      assembler.spanEnded(span, now);
      publishContentLimit();
    }, BATCH);
  }

  /**
   * Moves {@link #keepContentBefore} after a span is handled, when the budget tightened or has
   * room for an eighth more of what it allows: rendering one large span can take a while, so
   * waiting for the end of the batch would leave the application keeping content all that time,
   * and writing on every span would make each offer re-read a line the exporter just wrote.
   */
  private void publishContentLimit() {
    long allowed = assembler.spansWithContentAllowed();
    long limit = ended.taken() + allowed;
    long published = keepContentBefore;
    if (limit < published || limit - published >= Math.max(1, allowed / 8)) {
      keepContentBefore = limit;
    }
    if (!contentSizeKnown && assembler.contentSizeKnown()) {
      contentSizeKnown = true;
    }
  }

  /** Used heap (live and not yet collected) over half the maximum; read on the rare path only. */
  private static boolean heapMoreThanHalfFull() {
    Runtime runtime = Runtime.getRuntime();
    return runtime.totalMemory() - runtime.freeMemory() > runtime.maxMemory() / 2;
  }
}
