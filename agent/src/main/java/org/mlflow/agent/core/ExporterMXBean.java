package org.mlflow.agent.core;

import java.util.Map;

/**
 * What the agent did with the traces it saw, readable over JMX as
 * {@value AgentMonitor#OBJECT_NAME} (jconsole, a JMX exporter, or the app's own platform MBean
 * server). Counts are since the JVM started.
 */
public interface ExporterMXBean {

  /** Traces whose root ended (or timed out) and that were handed to delivery. */
  long getTracesCompleted();

  /** Traces closed by {@code MLFLOW_TRACE_TIMEOUT_SECONDS} before their root ended. */
  long getTracesTimedOut();

  /** Traces delivered: sent to the server (also from the spool) or written to the folder. */
  long getTracesExported();

  /** Attempts to send that failed for a reason that may pass and were tried again. */
  long getTracesRetried();

  /** Traces kept in the spool because the server could not take them (yet). */
  long getTracesSpooled();

  /** Traces waiting in memory for the sender. */
  long getQueueDepth();

  /**
   * Spans exported without their inputs and outputs because the content waiting to be exported
   * was over the agent's heap budget (calls coming faster than they could be rendered).
   */
  long getSpansWithoutContent();

  /**
   * What was dropped, by reason: spans {@code ring_full}, {@code backlog_full}, {@code late};
   * traces {@code rejected_by_server} (a 4xx, kept in {@code rejected/}) and {@code lost} (spool
   * full or not writable). Only the reasons that happened.
   */
  Map<String, Long> getDroppedByReason();
}
