package org.mlflow.agent.benchmarks.macro;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One run of the paced app ({@code PacedApp}) in a fresh JVM, without an agent or with this agent
 * exporting to an MLflow tracking URI nobody listens on, and what it left: the live heap after
 * each full GC, the agent's exit summary, and the traces spooled to {@code unsent/}.
 */
final class MemoryRun {

  private static final long TIMEOUT_MINUTES = 30;
  private static final ObjectMapper JSON = new ObjectMapper();

  final Mode mode;
  final int round;
  /** The app's RESULT line, key by key. */
  final Map<String, Double> reported;
  /** Seconds since the paced calls began, and the live heap after that full GC. */
  final List<double[]> heapSamples;
  final AgentExitSummary summary;
  /** Trace files in the traces folder's {@code unsent/} (the spool), and the spans in them. */
  final long tracesSpooled;
  final long spansSpooled;
  /** Trace files elsewhere under the traces folder ({@code rejected/}, {@code corrupt/}, ...). */
  final long otherTraceFiles;
  final List<String> agentProblems;

  private MemoryRun(Mode mode, int round, Map<String, Double> reported, List<double[]> heapSamples,
      AgentExitSummary summary, long[] onDisk, List<String> agentProblems) {
    this.mode = mode;
    this.round = round;
    this.reported = reported;
    this.heapSamples = heapSamples;
    this.summary = summary;
    this.tracesSpooled = onDisk[0];
    this.spansSpooled = onDisk[1];
    this.otherTraceFiles = onDisk[2];
    this.agentProblems = agentProblems;
  }

  double value(String key) {
    Double value = reported.get(key);
    if (value == null) {
      throw new IllegalStateException("the app reported no " + key);
    }
    return value;
  }

  /** Settings of one run: the app's arguments and how its JVM starts. */
  static final class Setup {
    Path java;
    Path appJar;
    Path agentJar;
    List<String> jvmArgs;
    int threads;
    double callsPerSecond;
    double durationSeconds;
    int callBytes;
    double gcIntervalSeconds;
  }

  static MemoryRun launch(Setup setup, Mode mode, int round, String baseUrl)
      throws IOException, InterruptedException {
    Path tracesDir = mode == Mode.MLFLOW ? Files.createTempDirectory("memory-traces-") : null;
    Path stdout = Files.createTempFile("paced-app-", ".out");
    Path stderr = Files.createTempFile("paced-app-", ".err");
    try {
      List<String> command = new ArrayList<>();
      command.add(setup.java.toString());
      command.addAll(setup.jvmArgs);
      if (mode == Mode.MLFLOW) {
        command.add("-javaagent:" + setup.agentJar);
      }
      command.addAll(List.of("-cp", setup.appJar.toString(),
          "org.mlflow.agent.benchmarks.macro.app.PacedApp", baseUrl,
          String.valueOf(setup.threads), String.valueOf(setup.callsPerSecond),
          String.valueOf(setup.durationSeconds), String.valueOf(setup.callBytes),
          String.valueOf(setup.gcIntervalSeconds)));
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectOutput(stdout.toFile())
          .redirectError(stderr.toFile());
      builder.environment().keySet().removeIf(name -> name.startsWith("MLFLOW_")
          || name.startsWith("OTEL_") || name.equals("ENABLE_MLFLOW_TRACING"));
      if (tracesDir != null) {
        // Every other setting at its default: the bound is stated for default settings.
        builder.environment().put("MLFLOW_AGENT_TRACES_DIR", tracesDir.toString());
        builder.environment().put("MLFLOW_TRACKING_URI", "http://127.0.0.1:" + closedPort());
      }
      Process process = builder.start();
      if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException(mode.label + " run did not finish in " + TIMEOUT_MINUTES
            + " minutes: " + command);
      }
      List<String> errors = Files.readAllLines(stderr, StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new IllegalStateException(mode.label + " run failed with exit code "
            + process.exitValue() + ": " + command + "\n"
            + String.join("\n", AppLauncher.tail(errors)));
      }
      List<String> lines = Files.readAllLines(stdout, StandardCharsets.UTF_8);
      long[] onDisk = tracesDir == null ? new long[] {-1, -1, -1} : countTraces(tracesDir);
      return new MemoryRun(mode, round, AppLauncher.resultLine(lines), heapSamples(lines),
          AgentExitSummary.of(errors), onDisk,
          errors.stream().filter(AppLauncher::isAgentProblem).collect(Collectors.toList()));
    } finally {
      Files.deleteIfExists(stdout);
      Files.deleteIfExists(stderr);
      if (tracesDir != null) {
        AppLauncher.deleteRecursively(tracesDir);
      }
    }
  }

  /** A loopback port that was free a moment ago and that nobody listens on now. */
  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static List<double[]> heapSamples(List<String> lines) {
    return lines.stream().filter(line -> line.startsWith("HEAP "))
        .map(line -> line.split(" "))
        .map(parts -> new double[] {Double.parseDouble(parts[1]), Double.parseDouble(parts[2])})
        .collect(Collectors.toList());
  }

  /**
   * Whole trace files ({@code tr-*.json}; a half-written one has a hidden temporary name): those
   * in {@code unsent/} and the spans in them, and those anywhere else under the folder.
   */
  private static long[] countTraces(Path folder) throws IOException {
    Path unsent = folder.resolve("unsent");
    long[] counts = new long[3];
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path file : files.filter(MemoryRun::isTraceFile).collect(Collectors.toList())) {
        if (!file.getParent().equals(unsent)) {
          counts[2]++;
          continue;
        }
        counts[0]++;
        counts[1] += JSON.readTree(file.toFile()).path("data").path("spans").size();
      }
    }
    return counts;
  }

  private static boolean isTraceFile(Path file) {
    String name = file.getFileName().toString();
    return Files.isRegularFile(file) && name.startsWith("tr-") && name.endsWith(".json");
  }
}
