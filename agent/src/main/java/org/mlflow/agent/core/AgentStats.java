package org.mlflow.agent.core;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * What happened to the spans and traces the agent saw: printed in the exit summary and the
 * periodic summary, and readable over JMX ({@link ExporterMXBean}).
 */
public final class AgentStats {

  /** The ring was full when the span ended. */
  public static final String DROP_RING_FULL = "ring_full";
  /** Too many spans were waiting for roots that had not ended. */
  public static final String DROP_BACKLOG_FULL = "backlog_full";
  /** The span ended after its trace had been shipped, or its root was never seen. */
  public static final String DROP_LATE = "late";
  /** The exporter failed on the span (an OutOfMemoryError while rendering it, say). */
  public static final String DROP_EXPORTER_FAILED = "exporter_failed";
  /** The JVM's exit deadline came before the exporter had read the span. */
  public static final String DROP_EXIT_DEADLINE = "exit_deadline";

  private final LongAdder tracesCompleted = new LongAdder();
  private final LongAdder tracesTimedOut = new LongAdder();
  private final Map<String, LongAdder> spansDropped = new ConcurrentHashMap<>();
  private final LongAdder rootsRecovered = new LongAdder();
  private final LongAdder recoveredRootsEnded = new LongAdder();
  private final LongAdder contentDropped = new LongAdder();
  private volatile Supplier<Map<String, Long>> delivery = Map::of;

  /**
   * Where the delivery counters come from: the sink's, e.g. {@code sent}, {@code retried},
   * {@code spooled}, {@code replayed}, {@code rejected}, {@code lost}, {@code queued},
   * {@code written}.
   */
  public void readDeliveryFrom(Supplier<Map<String, Long>> counters) {
    delivery = counters;
  }

  /** The sink's delivery counters now. */
  public Map<String, Long> delivery() {
    return delivery.get();
  }

  void traceCompleted() {
    tracesCompleted.increment();
  }

  void traceTimedOut() {
    tracesTimedOut.increment();
  }

  /** A root was shipped as it ended although its end event had not reached the exporter. */
  void rootRecovered() {
    rootsRecovered.increment();
  }

  /** The end event of a recovered root arrived after all: it had not been dropped. */
  void recoveredRootEnded() {
    recoveredRootsEnded.increment();
  }

  /**
   * Roots exported although the ring dropped their end event: counted among the ring's drops,
   * yet not lost.
   */
  long rootsExportedDespiteADroppedEnd() {
    return rootsRecovered.sum() - recoveredRootsEnded.sum();
  }

  /** A span was exported without its content, which was over the heap budget. */
  void contentDropped() {
    contentDropped.increment();
  }

  /** Spans exported without their content (see {@code ContentBacklog}), since start. */
  public long spansWithoutContent() {
    return contentDropped.sum();
  }

  public void spansDropped(String reason, long count) {
    spansDropped.computeIfAbsent(reason, r -> new LongAdder()).add(count);
  }

  public long tracesCompleted() {
    return tracesCompleted.sum();
  }

  public long tracesTimedOut() {
    return tracesTimedOut.sum();
  }

  /** Dropped spans by reason, only the reasons that happened. */
  public Map<String, Long> spansDropped() {
    Map<String, Long> snapshot = new TreeMap<>();
    spansDropped.forEach((reason, count) -> snapshot.put(reason, count.sum()));
    return snapshot;
  }
}
