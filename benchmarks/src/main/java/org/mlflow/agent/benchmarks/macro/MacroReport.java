package org.mlflow.agent.benchmarks.macro;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import org.mlflow.agent.benchmarks.report.Units;

/**
 * The macro benchmark's tables, in Markdown. Each value is the median over the rounds; each
 * comparison with the app without agent is made within a round (the runs of a round are adjacent
 * in time, so a machine getting busier or quieter affects both sides) and then its median taken.
 */
final class MacroReport {

  private final List<AppRun> runs;
  private final List<Integer> callSizes;
  private final List<Mode> modes;

  MacroReport(List<AppRun> runs, List<Integer> callSizes, List<Mode> modes) {
    this.runs = List.copyOf(runs);
    this.callSizes = List.copyOf(callSizes);
    this.modes = List.copyOf(modes);
  }

  String markdown() {
    StringBuilder out = new StringBuilder();
    out.append("### Each JVM (medians over ").append(rounds()).append(" rounds)\n\n")
        .append("| call | JVM | calls/s | p50 µs | p99 µs | app-thread CPU µs/call"
            + " | process CPU µs/call | app-thread alloc KB/call | process alloc KB/call"
            + " | launch→main ms | launch→first call ms |\n")
        .append("|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (int callBytes : callSizes) {
      for (Mode mode : modes) {
        List<AppRun> selected = select(callBytes, mode);
        if (selected.isEmpty()) {
          continue;
        }
        out.append(row(size(callBytes), mode.label,
            format(median(selected, run -> run.value("callsPerSecond")), 0),
            micros(median(selected, run -> run.value("p50Nanos"))),
            micros(median(selected, run -> run.value("p99Nanos"))),
            micros(median(selected, run -> run.value("appCpuNanosPerCall"))),
            micros(median(selected, run -> run.value("processCpuNanosPerCall"))),
            kilobytes(median(selected, run -> run.value("appAllocatedBytesPerCall"))),
            kilobytes(median(selected, run -> run.value("processAllocatedBytesPerCall"))),
            format(median(selected, AppRun::launchToMainMs), 0),
            format(median(selected, AppRun::launchToFirstCallMs), 0)));
      }
    }

    out.append("\n### Agent against no agent in the same round (medians over the rounds)\n\n")
        .append("| call | agent | throughput ratio | p50 added µs | p99 added µs"
            + " | app-thread CPU added µs/call | app-thread alloc added KB/call"
            + " | process CPU added µs/call | start-up to main added ms"
            + " | to first call added ms | CPU to first call added ms: main thread / process |\n")
        .append("|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (int callBytes : callSizes) {
      for (Mode mode : modes) {
        if (mode == Mode.NONE || select(callBytes, mode).isEmpty()
            || select(callBytes, Mode.NONE).isEmpty()) {
          continue;
        }
        out.append(row(size(callBytes), mode.label,
            format(ratio(callBytes, mode, run -> run.value("callsPerSecond")), 3),
            micros(difference(callBytes, mode, run -> run.value("p50Nanos"))),
            micros(difference(callBytes, mode, run -> run.value("p99Nanos"))),
            micros(difference(callBytes, mode, run -> run.value("appCpuNanosPerCall"))),
            kilobytes(difference(callBytes, mode, run -> run.value("appAllocatedBytesPerCall"))),
            micros(difference(callBytes, mode, run -> run.value("processCpuNanosPerCall"))),
            format(difference(callBytes, mode, AppRun::launchToMainMs), 0),
            format(difference(callBytes, mode, AppRun::launchToFirstCallMs), 0),
            format(difference(callBytes, mode, run -> run.value("firstCallMainCpuNanos")) / 1e6,
                0) + " / " + format(difference(callBytes, mode,
                    run -> run.value("firstCallProcessCpuNanos")) / 1e6, 0)));
      }
    }

    out.append("\n### Checks\n\n");
    for (int callBytes : callSizes) {
      List<AppRun> traced = select(callBytes, Mode.MLFLOW);
      if (!traced.isEmpty()) {
        out.append("- ").append(size(callBytes)).append(", mlflow-tracing-agent: trace files "
                + "written / chat calls made, per run: ")
            .append(traced.stream().map(run -> run.tracesWritten + "/" + run.callsMade)
                .collect(Collectors.joining(", ")))
            .append('\n');
      }
    }
    Set<String> problems = new LinkedHashSet<>();
    runs.forEach(run -> run.agentProblems.forEach(line -> problems.add(run.mode.label + ": "
        + line)));
    out.append("- agent WARN/ERROR lines: ").append(problems.isEmpty() ? "none" : "").append('\n');
    problems.forEach(line -> out.append("  - `").append(line).append("`\n"));
    return out.toString();
  }

  private int rounds() {
    return (int) runs.stream().mapToInt(run -> run.round).distinct().count();
  }

  private List<AppRun> select(int callBytes, Mode mode) {
    return runs.stream()
        .filter(run -> run.callBytes == callBytes && run.mode == mode)
        .collect(Collectors.toList());
  }

  private AppRun baseline(AppRun run) {
    return runs.stream()
        .filter(other -> other.mode == Mode.NONE && other.callBytes == run.callBytes
            && other.round == run.round)
        .findFirst()
        .orElse(null);
  }

  private double ratio(int callBytes, Mode mode, ToDoubleFunction<AppRun> metric) {
    return perRound(callBytes, mode, (run, none) -> metric.applyAsDouble(run)
        / metric.applyAsDouble(none));
  }

  private double difference(int callBytes, Mode mode, ToDoubleFunction<AppRun> metric) {
    return perRound(callBytes, mode, (run, none) -> metric.applyAsDouble(run)
        - metric.applyAsDouble(none));
  }

  private double perRound(int callBytes, Mode mode, PairMetric metric) {
    List<Double> values = new ArrayList<>();
    for (AppRun run : select(callBytes, mode)) {
      AppRun none = baseline(run);
      if (none != null) {
        values.add(metric.of(run, none));
      }
    }
    return median(values.stream().mapToDouble(Double::doubleValue).toArray());
  }

  private static double median(List<AppRun> runs, ToDoubleFunction<AppRun> metric) {
    return median(runs.stream().mapToDouble(metric).toArray());
  }

  static double median(double[] values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }

  static String size(int callBytes) {
    return Units.size(callBytes);
  }


  private static String row(String... cells) {
    return "| " + String.join(" | ", cells) + " |\n";
  }

  private static String micros(double nanos) {
    return format(nanos / 1000, 1);
  }

  private static String kilobytes(double bytes) {
    return format(bytes / 1024, 1);
  }

  private static String format(double value, int decimals) {
    return String.format(Locale.ROOT, "%." + decimals + "f", value);
  }

  private interface PairMetric {
    double of(AppRun run, AppRun none);
  }
}
