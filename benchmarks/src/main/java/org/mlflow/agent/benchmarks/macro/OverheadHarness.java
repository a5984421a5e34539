package org.mlflow.agent.benchmarks.macro;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.mlflow.agent.benchmarks.report.HarnessOptions;

/**
 * The macro benchmark: the overhead app (OpenAI chat calls on 2 threads against a zero-latency
 * fake on 127.0.0.1) in fresh JVMs without an agent, with mlflow-tracing-agent and with the
 * OpenTelemetry Java agent, interleaved (none, mlflow, otel, none, mlflow, otel, ...) so that a
 * machine's drift affects every side alike. Prints Markdown tables; see benchmarks/README.md.
 *
 * <p>Run from the repository root, after {@code mvn -q -DskipTests package}:
 * {@code java -cp benchmarks/target/benchmarks.jar
 * org.mlflow.agent.benchmarks.macro.OverheadHarness [--option value ...]}. Options: {@code
 * --rounds} (5), {@code --call-bytes} (64,10240,1048576), {@code --scale} (1.0: multiplies the
 * number of calls), {@code --threads} (2), {@code --modes} (none,mlflow,otel), {@code --agent},
 * {@code --otel-agent}, {@code --app} (the jars), {@code --jvm-args} ("-Xms512m -Xmx512m").
 */
public final class OverheadHarness {

  /** Calls per thread, warm-up and measured each: many small calls, fewer big ones. */
  static final long CALL_BYTES_BUDGET = 50_000_000L;
  static final int MIN_CALLS = 200;
  static final int MAX_CALLS = 20_000;

  private static final List<String> OPTIONS = List.of("rounds", "call-bytes", "scale", "threads",
      "modes", "agent", "otel-agent", "app", "jvm-args");

  private OverheadHarness() {}

  public static void main(String[] args) throws Exception {
    HarnessOptions options = HarnessOptions.parse(args, OPTIONS);
    int rounds = options.integer("rounds", 5);
    double scale = options.decimal("scale", 1.0);
    int threads = options.integer("threads", 2);
    List<Integer> callSizes = Arrays.stream(
            options.get("call-bytes", "64,10240,1048576").split(","))
        .map(Integer::valueOf)
        .collect(Collectors.toList());
    List<Mode> modes = Arrays.stream(options.get("modes", "none,mlflow,otel").split(","))
        .map(Mode::ofOption)
        .collect(Collectors.toList());
    if (!modes.contains(Mode.NONE)) {
      throw new IllegalArgumentException("--modes must include none: it is the baseline");
    }
    Path app = existing(options.get("app", "benchmarks/target/overhead-app.jar"),
        "build it: mvn -q -DskipTests package");
    Path agent = modes.contains(Mode.MLFLOW)
        ? existing(options.get("agent", "agent/target/mlflow-tracing-agent.jar"),
            "build it: mvn -q -DskipTests package")
        : null;
    Path otelAgent = modes.contains(Mode.OTEL)
        ? existing(options.get("otel-agent",
            "benchmarks/target/opentelemetry-javaagent.jar"),
            "download it: see benchmarks/README.md")
        : null;
    List<String> jvmArgs =
        List.of(options.get("jvm-args", "-Xms512m -Xmx512m").trim().split("\\s+"));
    Path java = Paths.get(System.getProperty("java.home"), "bin", "java");

    AppLauncher launcher = new AppLauncher(java, app, agent, otelAgent, jvmArgs, threads);
    List<AppRun> runs = new ArrayList<>();
    try (FakeOpenAi fake = new FakeOpenAi()) {
      for (int round = 1; round <= rounds; round++) {
        for (int callBytes : callSizes) {
          int calls = callsPerThread(callBytes, scale);
          for (Mode mode : modes) {
            AppRun run = launcher.run(mode, round, callBytes, calls, calls,
                fake.baseUrl(callBytes));
            runs.add(run);
            System.out.println(progressLine(run, rounds, calls));
          }
        }
      }
    }
    System.out.println();
    System.out.printf(Locale.ROOT, "## Macro benchmark: %d rounds, %d threads, JVM %s %s, %d "
            + "cores%n%n", rounds, threads, System.getProperty("java.vm.name"),
        System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
    System.out.println(new MacroReport(runs, callSizes, modes).markdown());
  }

  static int callsPerThread(int callBytes, double scale) {
    long calls = Math.max(MIN_CALLS, Math.min(MAX_CALLS, CALL_BYTES_BUDGET / callBytes));
    return (int) Math.max(1, Math.round(calls * scale));
  }

  private static String progressLine(AppRun run, int rounds, int calls) {
    return String.format(Locale.ROOT,
        "round %d/%d  %-6s %-24s %d calls/thread  %.0f calls/s  p50 %.1f µs  p99 %.1f µs"
            + "  launch→main %.0f ms  launch→first call %.0f ms%s",
        run.round, rounds, MacroReport.size(run.callBytes), run.mode.label, calls,
        run.value("callsPerSecond"), run.value("p50Nanos") / 1000, run.value("p99Nanos") / 1000,
        run.launchToMainMs(), run.launchToFirstCallMs(),
        run.tracesWritten < 0 ? "" : "  traces " + run.tracesWritten + "/" + run.callsMade);
  }

  static Path existing(String path, String hint) {
    Path file = Paths.get(path).toAbsolutePath();
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(file + " does not exist; " + hint);
    }
    return file;
  }
}
