package org.mlflow.agent.benchmarks.export;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.mlflow.agent.benchmarks.report.HarnessOptions;
import org.mlflow.agent.benchmarks.report.Units;
import org.mlflow.agent.config.AgentConfig;
import org.mlflow.agent.it.mlflow.MlflowServer;
import org.mlflow.agent.sink.LocalFolderSink;
import org.mlflow.agent.sink.MlflowRestClient;
import org.mlflow.agent.sink.MlflowServerDelivery;
import org.mlflow.agent.sink.ServerSink;
import org.mlflow.agent.sink.Spool;

/**
 * Export throughput: spans per second the agent's export path sustains into a sink that ships
 * nothing, into the local folder sink and into a real MLflow server (the agent's
 * {@code ServerSink}), and, in the same run, the server's own ceiling for the same traces posted
 * directly from several threads; so the report says whether the agent or the server is the
 * bottleneck. Prints Markdown; see benchmarks/README.md.
 *
 * <p>Run from the repository root, after {@code mvn -q -DskipTests package}:
 * {@code java -cp benchmarks/target/benchmarks.jar
 * org.mlflow.agent.benchmarks.export.ExportThroughput [--option value ...]}. Options: {@code
 * --call-bytes} (10240: content per chat call, half request, half answer), {@code --warmup} (5
 * s), {@code --seconds} (20 s measured per line), {@code --sinks} (noop,folder,server), {@code
 * --senders} (1,4: threads posting directly to the server). The server is MLflow as the
 * integration tests run it ({@code MlflowServer}: SQLite store, one worker; version from
 * {@code -Dmlflow.server.version}).
 */
public final class ExportThroughput {

  private static final List<String> OPTIONS =
      List.of("call-bytes", "warmup", "seconds", "sinks", "senders");
  private static final long SPOOL_MAX_BYTES = 512L * 1024 * 1024;
  private static final long SERVER_QUEUE_BYTES = 64L * 1024 * 1024;
  private static final long FLUSH_TIMEOUT_MILLIS = 5000;
  /**
   * Traces in flight to the server sink: enough to keep its sender busy, few enough that its
   * queue (64 MB) never overflows to the spool, even for 1 MB calls.
   */
  private static final int SERVER_IN_FLIGHT = 32;
  /** The agent at this share of the server's ceiling or above: the server is what limits. */
  private static final double BOTTLENECK_SHARE = 0.8;
  /** The server's unmeasured warm-up, in multiples of a line's warm-up. */
  private static final double SERVER_WARMUP_FACTOR = 3;

  private ExportThroughput() {}

  public static void main(String[] args) throws Exception {
    HarnessOptions options = HarnessOptions.parse(args, OPTIONS);
    int callBytes = options.integer("call-bytes", 10240);
    double warmup = options.decimal("warmup", 5);
    double seconds = options.decimal("seconds", 20);
    List<String> sinks = Arrays.asList(options.get("sinks", "noop,folder,server").split(","));
    List<Integer> senders = Arrays.stream(options.get("senders", "1,4").split(","))
        .map(Integer::valueOf).collect(Collectors.toList());
    ChatSpans chat = new ChatSpans(callBytes);
    chat.checkRendersWithContent();

    List<String> rows = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    if (sinks.contains("noop")) {
      CountingSink sink = new CountingSink(null);
      ExporterRun.Result result = ExporterRun.measure(chat, sink, sink::traces,
          ExporterRun.MAX_IN_FLIGHT, warmup, seconds);
      rows.add(row("agent exporter → no-op sink (render + assemble only)", result, ""));
    }
    if (sinks.contains("folder")) {
      Path folder = Files.createTempDirectory("export-throughput-");
      try {
        CountingSink sink = new CountingSink(new LocalFolderSink(folder));
        ExporterRun.Result result = ExporterRun.measure(chat, sink, sink::traces,
            ExporterRun.MAX_IN_FLIGHT, warmup, seconds);
        rows.add(row("agent exporter → local folder sink (a temp folder)",
            result, traceFiles(folder) + " trace files written in all"));
      } finally {
        deleteRecursively(folder);
      }
    }
    if (sinks.contains("server")) {
      server(chat, senders, warmup, seconds, rows, notes);
    }

    System.out.println();
    System.out.printf(Locale.ROOT, "## Export throughput: %s chat calls (one OpenAI chat span per"
            + " trace), %.0f s measured after %.0f s warm-up per line; JVM %s %s, %d cores%n%n",
        Units.size(callBytes), seconds, warmup, System.getProperty("java.vm.name"),
        System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
    System.out.println("| path | spans/s | traces delivered in the window | of them bare"
        + " (no content) | spans in flight | spans dropped | notes |");
    System.out.println("|---|---|---|---|---|---|---|");
    rows.forEach(System.out::println);
    System.out.println();
    notes.forEach(System.out::println);
  }

  private static void server(ChatSpans chat, List<Integer> senders, double warmup,
      double seconds, List<String> rows, List<String> notes) throws Exception {
    MlflowServer server;
    try {
      server = MlflowServer.start(MlflowServer.Backend.SQLITE);
    } catch (RuntimeException unavailable) { // Python or the MLflow install is missing
      notes.add("- MLflow server: not measured, it could not be started: "
          + unavailable.getMessage().lines().findFirst().orElse(""));
      return;
    }
    try (server) {
      URI uri = URI.create(server.trackingUri());
      String experimentId = server.createExperiment("export-throughput");
      MlflowRestClient versionClient =
          new MlflowRestClient(uri, uri.toString(), experimentId, null, null);
      String version = versionClient.serverVersion();
      versionClient.close();
      ServerCeiling ceiling = new ServerCeiling(chat, experimentId);
      // The server takes traces faster the longer it has run (a run that measured whatever came
      // first read 26 traces/s from 1 thread, then 27 through the agent, then 30 from 1 thread
      // again), which penalised the line measured first. So the server is warmed up, unmeasured,
      // and the lines run in ABBA order: each ceiling, the agent twice, each ceiling again in
      // reverse; a steady drift then falls on both sides alike, and each figure is a mean.
      ceiling.tracesPerSecond(uri, experimentId, 1, SERVER_WARMUP_FACTOR * warmup, 1);
      Map<Integer, List<Double>> ceilings = new LinkedHashMap<>();
      for (int threads : senders) {
        ceilings.computeIfAbsent(threads, key -> new ArrayList<>())
            .add(ceiling.tracesPerSecond(uri, experimentId, threads, warmup, seconds));
      }
      List<Double> agent = new ArrayList<>();
      for (int run = 1; run <= 2; run++) {
        ExporterRun.Result result = agentToServer(chat, uri, experimentId, warmup, seconds);
        agent.add(result.spansPerSecond);
        rows.add(row("agent exporter → MLflow " + version + " server (ServerSink, its "
            + AgentConfig.DEFAULT_SENDER_THREADS + " sender threads by default), run " + run,
            result, result.note));
      }
      for (int i = senders.size() - 1; i >= 0; i--) {
        int threads = senders.get(i);
        ceilings.get(threads)
            .add(ceiling.tracesPerSecond(uri, experimentId, threads, warmup, seconds));
      }
      double best = 0;
      int bestSenders = 0;
      for (Map.Entry<Integer, List<Double>> line : ceilings.entrySet()) {
        double rate = mean(line.getValue());
        rows.add(String.format(Locale.ROOT, "| server ceiling: the same traces posted directly,"
                + " %d sender thread(s), mean of %s | %.0f | | | | | MlflowServerDelivery.send,"
                + " the agent's way for this server, without queue or retries |",
            line.getKey(), rates(line.getValue()), rate));
        if (rate > best) {
          best = rate;
          bestSenders = line.getKey();
        }
      }
      double agentRate = mean(agent);
      int listed = server.searchTraceIds(experimentId).size();
      notes.add(String.format(Locale.ROOT, "- The server lists %d traces in the experiment"
          + " (the agent's and the direct senders', warm-ups included).", listed));
      notes.add(String.format(Locale.ROOT, "- Bottleneck: the agent delivered %.0f spans/s to"
              + " the server (mean of %s), %.0f%% of the server's best measured ceiling (%.0f"
              + " traces/s with %d sender thread(s)): %s", agentRate, rates(agent),
          100 * agentRate / best, best, bestSenders,
          agentRate >= BOTTLENECK_SHARE * best
              ? "the server; the agent keeps up with what it takes."
              : "the agent's delivery: its senders send less than direct posting from as many"
                  + " threads does."));
    }
  }

  /** The agent's own choice of way (OTLP where the server takes it), as AgentInstaller wires it. */
  private static ExporterRun.Result agentToServer(ChatSpans chat, URI uri, String experimentId,
      double warmup, double seconds) throws Exception {
    Path spool = Files.createTempDirectory("export-throughput-spool-");
    try {
      ServerSink sink = new ServerSink(new MlflowServerDelivery(
              new MlflowRestClient(uri, uri.toString(), experimentId, null, null),
              "export-throughput", "benchmark"),
          new Spool(spool.resolve("unsent"), SPOOL_MAX_BYTES),
          new Spool(spool.resolve("rejected"), SPOOL_MAX_BYTES),
          SERVER_QUEUE_BYTES, FLUSH_TIMEOUT_MILLIS);
      return ExporterRun.measure(chat, sink, () -> sink.counters().get("sent"), SERVER_IN_FLIGHT,
          warmup, seconds).withNote("sink at the end: " + sink.counters()
              + " (spooled: what was still queued when the run stopped)");
    } finally {
      deleteRecursively(spool);
    }
  }

  private static double mean(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
  }

  private static String rates(List<Double> values) {
    return values.stream().map(rate -> String.format(Locale.ROOT, "%.0f", rate))
        .collect(Collectors.joining(" and "));
  }

  private static String row(String path, ExporterRun.Result result, String notes) {
    String spansPerSecond = String.format(Locale.ROOT, "%.0f", result.spansPerSecond);
    return String.format(Locale.ROOT, "| %s | %s | %d | %d | %d | %s | %s |", path,
        result.bare == 0 ? spansPerSecond : "(" + spansPerSecond + ": not a full-content rate)",
        result.delivered, result.bare, result.inFlight,
        result.dropped.isEmpty() ? "0" : result.dropped.toString(), notes);
  }

  private static long traceFiles(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(file -> file.getFileName().toString().startsWith("tr-")).count();
    }
  }

  private static void deleteRecursively(Path folder) throws IOException {
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
        Files.deleteIfExists(path);
      }
    }
  }

}
