package org.mlflow.agent.benchmarks.macro;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** The memory benchmark's tables, in Markdown: heap with and without the agent, and the loss. */
final class MemoryReport {

  static final double MB = 1024 * 1024;

  private final List<MemoryRun> runs;

  MemoryReport(List<MemoryRun> runs) {
    this.runs = List.copyOf(runs);
  }

  String markdown() {
    StringBuilder out = new StringBuilder();
    out.append("### Each JVM\n\n")
        .append("| round | JVM | chat calls made | calls/s reached"
            + " | max live heap after full GC, MB | live heap after the calls, MB |\n")
        .append("|---|---|---|---|---|---|\n");
    for (MemoryRun run : runs) {
      out.append(row(String.valueOf(run.round), run.mode.label,
          format(run.value("calls"), 0), format(run.value("callsPerSecond"), 0),
          megabytes(run.value("maxLiveHeapBytes")), megabytes(run.value("lastLiveHeapBytes"))));
    }

    out.append("\n### The agent's heap: with the agent minus without, in the same round\n\n")
        .append("| round | max live heap added, MB | live heap added after the calls, MB"
            + " | target | met |\n")
        .append("|---|---|---|---|---|\n");
    for (MemoryRun traced : select(Mode.MLFLOW)) {
      MemoryRun none = baseline(traced);
      double added = traced.value("maxLiveHeapBytes") - none.value("maxLiveHeapBytes");
      out.append(row(String.valueOf(traced.round), megabytes(added),
          megabytes(traced.value("lastLiveHeapBytes") - none.value("lastLiveHeapBytes")),
          "< " + format(MemoryHarness.TARGET_MB, 0) + " MB",
          added / MB < MemoryHarness.TARGET_MB ? "yes" : "**no**"));
    }
    out.append("\nLive heap after each full GC, MB, at seconds since the paced calls began"
        + " (the last one after the calls ended):\n\n");
    for (MemoryRun run : runs) {
      out.append("- round ").append(run.round).append(", ").append(run.mode.label).append(": ")
          .append(run.heapSamples.stream()
              .map(sample -> format(sample[0], 0) + " s " + megabytes(sample[1]))
              .collect(Collectors.joining(", ")))
          .append('\n');
    }

    out.append("\n### Where the traced calls went (one span per chat call)\n\n")
        .append("| round | spans offered | traces spooled (unsent/) | spans in them"
            + " | dropped: ring_full | backlog_full | late | lost by the server sink"
            + " | other trace files | unaccounted |\n")
        .append("|---|---|---|---|---|---|---|---|---|---|\n");
    for (MemoryRun traced : select(Mode.MLFLOW)) {
      AgentExitSummary summary = traced.summary;
      long offered = (long) traced.value("calls");
      long unaccounted = offered - traced.spansSpooled - summary.spansDroppedTotal()
          - summary.lost - traced.otherTraceFiles;
      out.append(row(String.valueOf(traced.round), String.valueOf(offered),
          String.valueOf(traced.tracesSpooled), String.valueOf(traced.spansSpooled),
          dropped(summary, "ring_full"), dropped(summary, "backlog_full"),
          dropped(summary, "late"), String.valueOf(summary.lost),
          String.valueOf(traced.otherTraceFiles), String.valueOf(unaccounted)));
    }
    out.append("\n`unaccounted` = spans offered - spans spooled - spans dropped (all reasons)"
        + " - traces lost by the server sink - other trace files. Above 0: calls whose trace is"
        + " neither on disk nor in a count (silent loss). Below 0: spans counted as dropped whose"
        + " trace still reached the disk.\n\n");
    for (MemoryRun traced : select(Mode.MLFLOW)) {
      AgentExitSummary summary = traced.summary;
      out.append("- round ").append(traced.round).append(": ")
          .append(summary.deliverySummaryPrinted
              ? "server sink retried " + summary.retried + ", spooled " + summary.spooled
                  + ", refused " + summary.refused + ", lost " + summary.lost
              : "**no delivery summary from the server sink** (it did not finish closing)")
          .append("; traces closed by timeout ").append(summary.tracesTimedOut)
          .append("; exporter still busy at the flush deadline: ")
          .append(summary.exporterLeftBehind ? "**yes** (what its rings held is lost uncounted)"
              : "no")
          .append('\n');
    }
    Set<String> problems = new LinkedHashSet<>();
    runs.forEach(run -> run.agentProblems.forEach(problems::add));
    out.append("- agent WARN/ERROR lines: ").append(problems.isEmpty() ? "none" : "").append('\n');
    problems.forEach(line -> out.append("  - `").append(line).append("`\n"));
    return out.toString();
  }

  private List<MemoryRun> select(Mode mode) {
    return runs.stream().filter(run -> run.mode == mode).collect(Collectors.toList());
  }

  private MemoryRun baseline(MemoryRun traced) {
    return runs.stream()
        .filter(run -> run.mode == Mode.NONE && run.round == traced.round)
        .findFirst()
        .orElseThrow();
  }

  private static String dropped(AgentExitSummary summary, String reason) {
    return String.valueOf(summary.spansDropped.getOrDefault(reason, 0L));
  }

  private static String row(String... cells) {
    return "| " + String.join(" | ", cells) + " |\n";
  }

  private static String megabytes(double bytes) {
    return format(bytes / MB, 1);
  }

  private static String format(double value, int decimals) {
    return String.format(Locale.ROOT, "%." + decimals + "f", value);
  }
}
