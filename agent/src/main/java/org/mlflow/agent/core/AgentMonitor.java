package org.mlflow.agent.core;

import java.lang.management.ManagementFactory;
import java.util.Map;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.mlflow.agent.AgentLog;

/**
 * The agent's counters for operators: registers {@link ExporterMXBean} on the platform MBean
 * server, and prints a summary line at most once a minute when something was retried, spooled or
 * dropped since the last one (a healthy agent stays quiet; the exit summary covers the rest).
 *
 * <p>Runs on its own low-priority daemon thread, and registers only {@value #REGISTER_DELAY_MILLIS}
 * ms after start: initialising the platform MBean server costs a cold JVM 0.1 to 0.5 s of CPU,
 * which then never competes with the application's own start-up, and which a short-lived
 * command-line app never pays at all.
 */
public final class AgentMonitor implements Runnable {

  public static final String OBJECT_NAME = "org.mlflow.agent:type=Exporter";
  static final long SUMMARY_INTERVAL_MILLIS = 60_000;
  static final long REGISTER_DELAY_MILLIS = 5_000;

  private final ExporterMXBean metrics;
  private Snapshot lastReported = Snapshot.NOTHING;

  AgentMonitor(ExporterMXBean metrics) {
    this.metrics = metrics;
  }

  /** Starts the monitor thread for the agent's counters. */
  public static void start(AgentStats stats) {
    Thread thread = new Thread(new AgentMonitor(new ExporterMetrics(stats)),
        "mlflow-agent-monitor");
    thread.setDaemon(true);
    thread.setPriority(Thread.MIN_PRIORITY);
    thread.start();
  }

  @Override
  public void run() {
    try {
      Thread.sleep(REGISTER_DELAY_MILLIS);
    } catch (InterruptedException stop) {
      return;
    }
    register();
    while (true) {
      try {
        Thread.sleep(SUMMARY_INTERVAL_MILLIS);
      } catch (InterruptedException stop) {
        return;
      }
      String line = summarySince();
      if (line != null) {
        AgentLog.warn(line);
      }
    }
  }

  private void register() {
    try {
      MBeanServer server = ManagementFactory.getPlatformMBeanServer();
      ObjectName name = new ObjectName(OBJECT_NAME);
      if (!server.isRegistered(name)) { // a second agent in the same JVM keeps the first's
        server.registerMBean(metrics, name);
      }
    } catch (JMException | RuntimeException | Error unavailable) {
      AgentLog.warnOnce("jmx", "the agent's counters are not on JMX (" + OBJECT_NAME + ")",
          unavailable);
    }
  }

  /** The summary of what went wrong since the last line; null when nothing did. */
  String summarySince() {
    Snapshot now = Snapshot.of(metrics);
    if (now.troubles() == lastReported.troubles()) {
      return null;
    }
    Snapshot before = lastReported;
    lastReported = now;
    return "since the last summary: exported " + (now.exported - before.exported)
        + ", retried " + (now.retried - before.retried)
        + ", spooled " + (now.spooled - before.spooled)
        + ", waiting " + now.queued
        + "; dropped so far " + now.dropped
        + (now.withoutContent == 0 ? "" : "; spans without content (heap budget) so far "
            + now.withoutContent)
        + " (counters on JMX: " + OBJECT_NAME + ")";
  }

  /** The counters at one moment. */
  private static final class Snapshot {
    static final Snapshot NOTHING = new Snapshot(0, 0, 0, 0, Map.of(), 0);

    final long exported;
    final long retried;
    final long spooled;
    final long queued;
    final Map<String, Long> dropped;
    final long withoutContent;

    Snapshot(long exported, long retried, long spooled, long queued, Map<String, Long> dropped,
        long withoutContent) {
      this.exported = exported;
      this.retried = retried;
      this.spooled = spooled;
      this.queued = queued;
      this.dropped = dropped;
      this.withoutContent = withoutContent;
    }

    static Snapshot of(ExporterMXBean metrics) {
      return new Snapshot(metrics.getTracesExported(), metrics.getTracesRetried(),
          metrics.getTracesSpooled(), metrics.getQueueDepth(), metrics.getDroppedByReason(),
          metrics.getSpansWithoutContent());
    }

    /** Grows with every retry, spool or drop: equal values mean nothing went wrong. */
    long troubles() {
      return retried + spooled + withoutContent
          + dropped.values().stream().mapToLong(Long::longValue).sum();
    }
  }
}
