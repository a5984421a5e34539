package org.mlflow.agent.benchmarks.macro;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.mlflow.agent.benchmarks.report.HarnessOptions;

/**
 * The memory benchmark: the paced app (OpenAI chat calls at a fixed rate on 2 threads against the
 * zero-latency fake) in fresh JVMs without an agent and with this agent, whose tracking server is
 * down (a closed loopback port). The agent's heap is the most heap live after a full GC with the
 * agent minus the same without it; where the traced calls went is read from the traces spooled to
 * disk and the agent's exit summary. Prints Markdown; see benchmarks/README.md.
 *
 * <p>Run from the repository root, after {@code mvn -q -DskipTests package}:
 * {@code java -cp benchmarks/target/benchmarks.jar
 * org.mlflow.agent.benchmarks.macro.MemoryHarness [--option value ...]}. Options: {@code
 * --duration} (60 s), {@code --rate} (1000 calls/s in all), {@code --threads} (2), {@code
 * --call-bytes} (64), {@code --gc-interval} (5 s), {@code --rounds} (1), {@code --agent},
 * {@code --app} (the jars), {@code --jvm-args} ("-Xms512m -Xmx512m -XX:+UseG1GC").
 */
public final class MemoryHarness {

  /** The bound for the agent's heap at default settings. */
  static final double TARGET_MB = 64;

  private static final List<String> OPTIONS = List.of("duration", "rate", "threads",
      "call-bytes", "gc-interval", "rounds", "agent", "app", "jvm-args");

  private MemoryHarness() {}

  public static void main(String[] args) throws Exception {
    HarnessOptions options = HarnessOptions.parse(args, OPTIONS);
    MemoryRun.Setup setup = new MemoryRun.Setup();
    setup.java = Paths.get(System.getProperty("java.home"), "bin", "java");
    setup.appJar = OverheadHarness.existing(
        options.get("app", "benchmarks/target/overhead-app.jar"),
        "build it: mvn -q -DskipTests package");
    setup.agentJar = OverheadHarness.existing(
        options.get("agent", "agent/target/mlflow-tracing-agent.jar"),
        "build it: mvn -q -DskipTests package");
    setup.jvmArgs = List.of(
        options.get("jvm-args", "-Xms512m -Xmx512m -XX:+UseG1GC").trim().split("\\s+"));
    setup.threads = options.integer("threads", 2);
    setup.callsPerSecond = options.decimal("rate", 1000);
    setup.durationSeconds = options.decimal("duration", 60);
    setup.callBytes = options.integer("call-bytes", 64);
    setup.gcIntervalSeconds = options.decimal("gc-interval", 5);
    int rounds = options.integer("rounds", 1);

    List<MemoryRun> runs = new ArrayList<>();
    try (FakeOpenAi fake = new FakeOpenAi()) {
      for (int round = 1; round <= rounds; round++) {
        for (Mode mode : List.of(Mode.NONE, Mode.MLFLOW)) {
          MemoryRun run = MemoryRun.launch(setup, mode, round, fake.baseUrl(setup.callBytes));
          runs.add(run);
          System.out.printf(Locale.ROOT, "round %d/%d  %-22s %.0f calls  %.0f calls/s"
                  + "  max live heap %.1f MB%n", round, rounds, mode.label,
              run.value("calls"), run.value("callsPerSecond"),
              run.value("maxLiveHeapBytes") / MemoryReport.MB);
        }
      }
    }
    System.out.println();
    System.out.printf(Locale.ROOT, "## Memory with the backend down: %.0f calls/s on %d threads"
            + " for %.0f s, %s calls, full GC every %.0f s; JVM %s %s, %s, %d cores%n%n",
        setup.callsPerSecond, setup.threads, setup.durationSeconds,
        MacroReport.size(setup.callBytes), setup.gcIntervalSeconds,
        System.getProperty("java.vm.name"), System.getProperty("java.version"),
        String.join(" ", setup.jvmArgs), Runtime.getRuntime().availableProcessors());
    System.out.println(new MemoryReport(runs).markdown());
  }
}
