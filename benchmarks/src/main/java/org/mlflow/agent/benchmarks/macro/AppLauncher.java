package org.mlflow.agent.benchmarks.macro;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Starts the overhead app in a fresh JVM in one {@link Mode} and reads what it reports. */
final class AppLauncher {

  private static final long RUN_TIMEOUT_MINUTES = 30;

  private final Path java;
  private final Path appJar;
  private final Path mlflowAgentJar;
  private final Path otelAgentJar;
  private final List<String> jvmArgs;
  private final int threads;

  AppLauncher(Path java, Path appJar, Path mlflowAgentJar, Path otelAgentJar,
      List<String> jvmArgs, int threads) {
    this.java = java;
    this.appJar = appJar;
    this.mlflowAgentJar = mlflowAgentJar;
    this.otelAgentJar = otelAgentJar;
    this.jvmArgs = List.copyOf(jvmArgs);
    this.threads = threads;
  }

  AppRun run(Mode mode, int round, int callBytes, int warmupCalls, int calls, String baseUrl)
      throws IOException, InterruptedException {
    Path tracesDir = mode == Mode.MLFLOW ? Files.createTempDirectory("overhead-traces-") : null;
    Path stdout = Files.createTempFile("overhead-app-", ".out");
    Path stderr = Files.createTempFile("overhead-app-", ".err");
    try {
      List<String> command = new ArrayList<>();
      command.add(java.toString());
      command.addAll(jvmArgs);
      command.addAll(agentArgs(mode));
      command.addAll(List.of("-jar", appJar.toString(), baseUrl, String.valueOf(threads),
          String.valueOf(warmupCalls), String.valueOf(calls), String.valueOf(callBytes)));
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectOutput(stdout.toFile())
          .redirectError(stderr.toFile());
      // Only this harness decides how the agents are set up: nothing inherited from the shell.
      builder.environment().keySet().removeIf(name -> name.startsWith("MLFLOW_")
          || name.startsWith("OTEL_") || name.equals("ENABLE_MLFLOW_TRACING"));
      if (tracesDir != null) {
        builder.environment().put("MLFLOW_AGENT_TRACES_DIR", tracesDir.toString());
      }

      long launchEpochMs = System.currentTimeMillis();
      Process process = builder.start();
      if (!process.waitFor(RUN_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException(mode.label + " run did not finish in "
            + RUN_TIMEOUT_MINUTES + " minutes: " + command);
      }
      List<String> errors = Files.readAllLines(stderr, StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new IllegalStateException(mode.label + " run failed with exit code "
            + process.exitValue() + ": " + command + "\n" + String.join("\n", tail(errors)));
      }
      Map<String, Double> reported = resultLine(Files.readAllLines(stdout, StandardCharsets.UTF_8));
      List<String> agentProblems =
          errors.stream().filter(AppLauncher::isAgentProblem).collect(Collectors.toList());
      long tracesWritten = tracesDir == null ? -1 : countTraceFiles(tracesDir);
      long callsMade = 1 + (long) threads * (warmupCalls + calls);
      return new AppRun(mode, callBytes, round, reported, launchEpochMs, callsMade, tracesWritten,
          agentProblems);
    } finally {
      Files.deleteIfExists(stdout);
      Files.deleteIfExists(stderr);
      if (tracesDir != null) {
        deleteRecursively(tracesDir);
      }
    }
  }

  private List<String> agentArgs(Mode mode) {
    switch (mode) {
      case MLFLOW:
        return List.of("-javaagent:" + mlflowAgentJar);
      case OTEL:
        return List.of("-javaagent:" + otelAgentJar,
            "-Dotel.traces.exporter=none",
            "-Dotel.metrics.exporter=none",
            "-Dotel.logs.exporter=none");
      default:
        return List.of();
    }
  }

  /** Both agents log as {@code [agent ...] LEVEL message} (OpenTelemetry's with a thread too). */
  static boolean isAgentProblem(String stderrLine) {
    return (stderrLine.startsWith("[mlflow-agent] ") || stderrLine.startsWith("[otel.javaagent"))
        && (stderrLine.contains("] WARN ") || stderrLine.contains("] ERROR "));
  }

  static Map<String, Double> resultLine(List<String> lines) {
    String result = lines.stream()
        .filter(line -> line.startsWith("RESULT "))
        .reduce((first, second) -> second)
        .orElseThrow(() -> new IllegalStateException("the app printed no RESULT line: " + lines));
    Map<String, Double> values = new LinkedHashMap<>();
    for (String pair : result.substring("RESULT ".length()).split(" ")) {
      int equals = pair.indexOf('=');
      values.put(pair.substring(0, equals), Double.parseDouble(pair.substring(equals + 1)));
    }
    return values;
  }

  private static long countTraceFiles(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(file -> {
        String name = file.getFileName().toString();
        return name.startsWith("tr-") && name.endsWith(".json");
      }).count();
    }
  }

  static void deleteRecursively(Path folder) throws IOException {
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
        Files.deleteIfExists(path);
      }
    }
  }

  static List<String> tail(List<String> lines) {
    return lines.subList(Math.max(0, lines.size() - 40), lines.size());
  }
}
