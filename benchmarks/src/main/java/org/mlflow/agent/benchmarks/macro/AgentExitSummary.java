package org.mlflow.agent.benchmarks.macro;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the agent said about loss at exit, read from its stderr: {@code AgentInstaller.stop}'s
 * "spans dropped by reason: {ring_full=N, ...}; traces closed by timeout: M", {@code ServerSink}'s
 * "delivery: retried R, kept in the spool S (...), refused by the server X, lost L", and the
 * warning that the exporter had not finished within the flush timeout (then the spans still in
 * its rings are lost without a count).
 */
final class AgentExitSummary {

  private static final Pattern DROPPED =
      Pattern.compile("spans dropped by reason: \\{([^}]*)}; traces closed by timeout: (\\d+)");
  private static final Pattern DELIVERY = Pattern.compile("delivery: retried (\\d+), kept in the"
      + " spool (\\d+) .*refused by the server (\\d+), lost (\\d+)");
  private static final String LEFT_BEHIND = "were left behind at exit";

  /** Spans dropped, by the agent's reason ({@code ring_full}, {@code backlog_full}, {@code late}). */
  final Map<String, Long> spansDropped = new TreeMap<>();
  long tracesTimedOut;
  long retried;
  long spooled;
  long refused;
  /** Traces the server sink could neither send nor spool (spool full or not writable). */
  long lost;
  /**
   * Whether the server sink printed its delivery line: it does when it closes having retried,
   * spooled, refused or lost anything; missing after an outage, it never finished closing.
   */
  boolean deliverySummaryPrinted;
  boolean exporterLeftBehind;

  static AgentExitSummary of(List<String> stderr) {
    AgentExitSummary summary = new AgentExitSummary();
    for (String line : stderr) {
      Matcher dropped = DROPPED.matcher(line);
      if (dropped.find()) {
        for (String entry : dropped.group(1).split(",\\s*")) {
          if (!entry.isBlank()) {
            String[] reasonAndCount = entry.split("=");
            summary.spansDropped.put(reasonAndCount[0].trim(), Long.parseLong(reasonAndCount[1]));
          }
        }
        summary.tracesTimedOut = Long.parseLong(dropped.group(2));
      }
      Matcher delivery = DELIVERY.matcher(line);
      if (delivery.find()) {
        summary.retried = Long.parseLong(delivery.group(1));
        summary.spooled = Long.parseLong(delivery.group(2));
        summary.refused = Long.parseLong(delivery.group(3));
        summary.lost = Long.parseLong(delivery.group(4));
        summary.deliverySummaryPrinted = true;
      }
      if (line.contains(LEFT_BEHIND)) {
        summary.exporterLeftBehind = true;
      }
    }
    return summary;
  }

  long spansDroppedTotal() {
    return spansDropped.values().stream().mapToLong(Long::longValue).sum();
  }
}
