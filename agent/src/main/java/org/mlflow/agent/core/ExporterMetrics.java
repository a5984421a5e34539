package org.mlflow.agent.core;

import java.util.Map;
import java.util.TreeMap;

/** {@link ExporterMXBean} read from the agent's {@link AgentStats} at each JMX request. */
final class ExporterMetrics implements ExporterMXBean {

  private final AgentStats stats;

  ExporterMetrics(AgentStats stats) {
    this.stats = stats;
  }

  @Override
  public long getTracesCompleted() {
    return stats.tracesCompleted();
  }

  @Override
  public long getTracesTimedOut() {
    return stats.tracesTimedOut();
  }

  @Override
  public long getTracesExported() {
    Map<String, Long> delivery = stats.delivery();
    return delivery.getOrDefault("sent", 0L) + delivery.getOrDefault("replayed", 0L)
        + delivery.getOrDefault("written", 0L);
  }

  @Override
  public long getTracesRetried() {
    return stats.delivery().getOrDefault("retried", 0L);
  }

  @Override
  public long getTracesSpooled() {
    return stats.delivery().getOrDefault("spooled", 0L);
  }

  @Override
  public long getQueueDepth() {
    return stats.delivery().getOrDefault("queued", 0L);
  }

  @Override
  public long getSpansWithoutContent() {
    return stats.spansWithoutContent();
  }

  @Override
  public Map<String, Long> getDroppedByReason() {
    Map<String, Long> dropped = new TreeMap<>(stats.spansDropped());
    Map<String, Long> delivery = stats.delivery();
    putIfAny(dropped, "rejected_by_server", delivery.getOrDefault("rejected", 0L));
    putIfAny(dropped, "lost", delivery.getOrDefault("lost", 0L));
    return dropped;
  }

  private static void putIfAny(Map<String, Long> counts, String reason, long count) {
    if (count > 0) {
      counts.put(reason, count);
    }
  }
}
