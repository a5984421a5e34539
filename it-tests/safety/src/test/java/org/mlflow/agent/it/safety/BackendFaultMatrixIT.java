package org.mlflow.agent.it.safety;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.http.Fault;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.mlflow.agent.it.mlflow.MlflowServer;
import org.mlflow.agent.it.mlflow.MlflowServer.Backend;
import org.mlflow.agent.it.support.ForkedApp;
import org.mlflow.agent.it.support.TraceFiles;

/**
 * The backend's faults, each against its own experiment of one real MLflow server: a WireMock
 * proxy in front of the server injects the fault (or the app points at nothing, or at a server
 * that never answers), an app with the agent makes {@link #CALLS} traced calls at a steady pace
 * meanwhile, and then the fault is cleared and the next run of the app (which makes
 * {@value #RECOVERY_CALLS} calls of its own) sends what the first left in the spool; what its
 * exit leaves, {@code upload} sends (a real server on a busy machine takes a few traces a second).
 *
 * <p>For each fault: the app's calls are not held up by the backend (their p99 stays within a
 * generous bound of the healthy run's, measured beside them); every trace is accounted for (on
 * the server or in the spool, none lost or dropped); and after recovery the experiment holds each
 * trace exactly once, with its one span once. The figures are printed as a table.
 */
class BackendFaultMatrixIT {

  static final int THREADS = 2;
  /** Small by default: the real server behind takes a few traces a second on a busy machine. */
  static final int CALLS_PER_THREAD = Integer.getInteger("faults.callsPerThread", 30);
  static final int CALLS = THREADS * CALLS_PER_THREAD;
  static final int RECOVERY_CALLS_PER_THREAD = 1;
  static final int RECOVERY_CALLS = THREADS * RECOVERY_CALLS_PER_THREAD;
  /** Calls spread over several seconds: the sender meets the fault while the app runs. */
  static final int PACE_MILLIS = 250;
  /** Exit waits only until all is sent; a fresh SQL server's first span export is slow. */
  static final String FLUSH_SECONDS = "60";
  /** For a backend that holds each request until it times out: exit spools what is left. */
  static final String SHORT_FLUSH_SECONDS = "10";
  /** `upload` runs until the spool is empty, this many times at most. */
  static final int UPLOADS = 3;
  static final String HEALTHY = "healthy";
  static final int PARALLEL_CELLS = 3;
  static final int RETRY_AFTER_SECONDS = 2;

  private static MlflowServer mlflow;
  private static final List<AutoCloseable> backends = new ArrayList<>();

  @BeforeAll
  static void startServer() throws Exception {
    mlflow = MlflowServer.start(Backend.SQLITE);
  }

  @AfterAll
  static void stopServer() throws Exception {
    for (AutoCloseable backend : backends) {
      backend.close();
    }
    if (mlflow != null) {
      mlflow.close();
    }
  }

  private static <T extends AutoCloseable> T open(T backend) {
    backends.add(backend);
    return backend;
  }

  @Test
  void everyFaultLeavesTheAppUnhurtAndEveryTraceOnTheServerExactlyOnce() throws Exception {
    long started = System.nanoTime();
    List<Cell> cells = cells();
    List<Outcome> outcomes = new ArrayList<>();
    // A few at a time on a small machine: the longest (slow, never answering) first.
    ExecutorService pool = Executors.newFixedThreadPool(PARALLEL_CELLS);
    try {
      List<Future<Outcome>> running = new ArrayList<>();
      for (Cell cell : cells) {
        // One at a time: a fresh server's first writes are slow, and SQLite takes one writer.
        String experimentId = mlflow.createExperiment("fault-" + cell.name);
        running.add(pool.submit(() -> run(cell, experimentId)));
      }
      for (Future<Outcome> outcome : running) {
        outcomes.add(outcome.get());
      }
    } finally {
      pool.shutdownNow();
    }
    Outcome baseline = outcomes.stream().filter(o -> o.cell.name.equals(HEALTHY)).findFirst()
        .orElseThrow();
    printTable(outcomes, baseline, System.nanoTime() - started);

    List<Executable> checks = new ArrayList<>();
    for (Outcome outcome : outcomes) {
      checks.addAll(outcome.checks(baseline));
    }
    assertAll(checks);
  }

  /** The healthy baseline and the nine faults, each with how it ends; the longest first. */
  private List<Cell> cells() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getByName("127.0.0.1"))) {
      closedPort = socket.getLocalPort();
    }
    SilentServer silent = open(new SilentServer());
    FaultyProxy tls = open(new FaultyProxy(mlflow.trackingUri()));
    String server = mlflow.trackingUri();
    return List.of(
        proxied("slow-10s", SHORT_FLUSH_SECONDS, proxy -> proxy.inject(any(anyUrl())
            .willReturn(aResponse().proxiedFrom(proxy.target()).withFixedDelay(10_000)))),
        new Cell("never-answers", silent.url(), SHORT_FLUSH_SECONDS, server, Map.of(), null),
        new Cell("down", "http://127.0.0.1:" + closedPort, FLUSH_SECONDS, server, Map.of(),
            null),
        new Cell(HEALTHY, server, FLUSH_SECONDS, server, Map.of(), null),
        proxied("http-500", FLUSH_SECONDS, proxy -> proxy.inject(any(anyUrl())
            .willReturn(aResponse().withStatus(500)
                .withBody("{\"error_code\":\"INTERNAL_ERROR\",\"message\":\"injected\"}")))),
        proxied("http-503", FLUSH_SECONDS, proxy -> proxy.inject(any(anyUrl())
            .willReturn(aResponse().withStatus(503).withBody("Service Unavailable")))),
        // Calls over twice the time: the server is asked again (after Retry-After) while the
        // app runs, even on a busy machine where the first trace is ready seconds after start.
        proxied("http-429-retry-after-" + RETRY_AFTER_SECONDS, FLUSH_SECONDS, 2 * PACE_MILLIS,
            proxy -> proxy.inject(any(anyUrl()).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", String.valueOf(RETRY_AFTER_SECONDS))
                .withBody("{\"error_code\":\"REQUEST_LIMIT_EXCEEDED\"}")))),
        proxied("connection-reset", FLUSH_SECONDS, proxy -> proxy.inject(any(anyUrl())
            .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)))),
        // The server stores the trace, and its answer to StartTraceV3 is cut short: sent again,
        // it must still be one trace with its spans once.
        proxied("start-trace-answer-cut", FLUSH_SECONDS, proxy -> proxy.inject(
            post(urlPathEqualTo("/api/3.0/mlflow/traces")).willReturn(aResponse()
                .proxiedFrom(proxy.target()).withTransformers(FaultyProxy.BREAK_ANSWER)))),
        // Verification is on by default: the proxy's self-signed certificate is refused until
        // the user says to trust it.
        new Cell("tls-untrusted", tls.httpsUrl(), FLUSH_SECONDS, tls.httpsUrl(),
            Map.of("MLFLOW_TRACKING_INSECURE_TLS", "true"), null));
  }

  private Cell proxied(String name, String flushSeconds, Consumer<FaultyProxy> fault) {
    return proxied(name, flushSeconds, PACE_MILLIS, fault);
  }

  private Cell proxied(String name, String flushSeconds, int paceMillis,
      Consumer<FaultyProxy> fault) {
    FaultyProxy proxy = open(new FaultyProxy(mlflow.trackingUri()));
    fault.accept(proxy);
    return new Cell(name, proxy.httpUrl(), flushSeconds, proxy.httpUrl(), Map.of(), proxy,
        paceMillis);
  }

  private static Outcome run(Cell cell, String experimentId) throws Exception {
    long started = System.nanoTime();
    Path dir = Files.createTempDirectory("fault-" + cell.name + "-");
    Path spool = dir.resolve("mlflow-traces/unsent");

    ForkedApp.Result during = app(cell.faultUri, Map.of(), cell.faultFlushSeconds, experimentId,
        dir, CALLS_PER_THREAD, cell.paceMillis);
    Set<String> onServerDuring = new HashSet<>(mlflow.searchTraceIds(experimentId));
    Set<String> inSpoolDuring = traceIds(spool);
    List<Long> gaps = cell.proxy == null ? List.of() : gapsMillis(cell.proxy);
    System.out.printf("fault matrix: %s faulty run done after %d s%n", cell.name,
        (System.nanoTime() - started) / 1_000_000_000L);

    if (cell.proxy != null) {
      cell.proxy.clearFaults();
    }
    ForkedApp.Result after = app(cell.recoveryUri, cell.recoveryEnv, FLUSH_SECONDS, experimentId,
        dir, RECOVERY_CALLS_PER_THREAD, PACE_MILLIS);
    int leftByNextRun = traceIds(spool).size();
    // What the next run's exit left (a slow machine sends a few traces a second), `upload` sends.
    List<ForkedApp.Result> uploads = new ArrayList<>();
    while (!traceIds(spool).isEmpty() && uploads.size() < UPLOADS) {
      ForkedApp upload = ForkedApp.agentCommandLine().in(dir).args("upload", spool.toString())
          .env("MLFLOW_TRACKING_URI", cell.recoveryUri)
          .env("MLFLOW_EXPERIMENT_ID", experimentId)
          .timeoutSeconds(600);
      cell.recoveryEnv.forEach(upload::env);
      uploads.add(upload.run());
    }
    List<String> onServerAfter = mlflow.searchTraceIds(experimentId);
    Set<String> inSpoolAfter = traceIds(spool);
    // The traces sent most often (the first ones) have their one span once.
    List<Integer> spanCounts = onServerAfter.stream().sorted().limit(3)
        .map(id -> mlflow.traceSpans(id).path("spans").size()).collect(Collectors.toList());
    System.out.printf("fault matrix: %s recovered after %d s%n", cell.name,
        (System.nanoTime() - started) / 1_000_000_000L);
    return new Outcome(cell, during, after, onServerDuring, inSpoolDuring, onServerAfter,
        inSpoolAfter, spanCounts, gaps, (System.nanoTime() - started) / 1_000_000,
        leftByNextRun, uploads);
  }

  /** The time between one request the proxy got and the next. */
  private static List<Long> gapsMillis(FaultyProxy proxy) {
    List<Long> times = proxy.served().stream()
        .map(event -> event.getRequest().getLoggedDate().getTime())
        .collect(Collectors.toList());
    List<Long> gaps = new ArrayList<>();
    for (int i = 1; i < times.size(); i++) {
      gaps.add(times.get(i) - times.get(i - 1));
    }
    return gaps;
  }

  private static ForkedApp.Result app(String trackingUri, Map<String, String> env,
      String flushSeconds, String experimentId, Path dir, int callsPerThread, int paceMillis)
      throws Exception {
    ForkedApp app = ForkedApp.of(PacedCallsApp.class)
        .args(String.valueOf(callsPerThread), String.valueOf(THREADS),
            String.valueOf(paceMillis))
        .jvmOption("-Xmx256m")
        .env("MLFLOW_TRACKING_URI", trackingUri)
        .env("MLFLOW_EXPERIMENT_ID", experimentId)
        .env("MLFLOW_AGENT_FLUSH_TIMEOUT_SECONDS", flushSeconds)
        .in(dir)
        .timeoutSeconds(180);
    env.forEach(app::env);
    return app.run();
  }

  private static Set<String> traceIds(Path folder) throws Exception {
    return TraceFiles.read(folder).stream()
        .map(trace -> trace.path("info").path("trace_id").asText())
        .collect(Collectors.toSet());
  }

  private static void printTable(List<Outcome> outcomes, Outcome baseline, long nanos) {
    StringBuilder table = new StringBuilder(String.format("%nbackend fault matrix on Java %d:"
            + " %d traced calls per fault (%d threads, one call per %d ms each), then a next run"
            + " of %d calls with the fault cleared; %d s in all%n", Runtime.version().feature(),
        CALLS, THREADS, PACE_MILLIS, RECOVERY_CALLS, nanos / 1_000_000_000L));
    table.append(String.format("%-24s %8s %8s %8s %9s %8s %7s | %5s %7s %7s %5s %6s | %7s %7s"
            + " %6s %6s | %5s%n", "fault", "p50_us", "p99_us", "max_us", "busy/s", "paced/s",
        "heapMB", "sent", "retried", "spooled", "lost", "droppd", "srv_run", "spool", "srv_end",
        "spool", "sec"));
    for (Outcome o : outcomes) {
      table.append(String.format("%-24s %8d %8d %8d %9d %8d %7d | %5d %7d %7d %5d %6d | %7d %7d"
              + " %6d %6d | %5d%n", o.cell.name, o.app("p50_us"), o.app("p99_us"),
          o.app("max_us"), o.app("busy_calls_per_s"), o.app("paced_calls_per_s"),
          o.app("heap_after_gc_mb"), o.sent(), o.exit("retried (\\d+)"),
          o.exit("kept in the spool (\\d+)"), o.exit("lost (\\d+)"), o.droppedSpans(),
          o.onServerDuring.size(), o.inSpoolDuring.size(), o.onServerAfter.size(),
          o.inSpoolAfter.size(), o.millis / 1000));
    }
    table.append("p99 bound for every fault: ").append(baseline.p99Bound()).append(" us\n");
    outcomes.forEach(o -> table.append(String.format("  %-24s the next run left %d in the"
            + " spool, then %d upload(s); the faulty run's requests %s ms apart%n", o.cell.name,
        o.leftByNextRun, o.uploads.size(), o.gaps)));
    System.out.println(table);
  }

  /** One fault: where the app sends traces while it lasts, how it ends, where they go after. */
  private static final class Cell {
    final String name;
    final String faultUri;
    final String faultFlushSeconds;
    final String recoveryUri;
    final Map<String, String> recoveryEnv;
    /** The proxy that injects the fault (cleared for the next run), or null. */
    final FaultyProxy proxy;
    /** Between a thread's calls in the faulty run. */
    final int paceMillis;

    Cell(String name, String faultUri, String faultFlushSeconds, String recoveryUri,
        Map<String, String> recoveryEnv, FaultyProxy proxy) {
      this(name, faultUri, faultFlushSeconds, recoveryUri, recoveryEnv, proxy, PACE_MILLIS);
    }

    Cell(String name, String faultUri, String faultFlushSeconds, String recoveryUri,
        Map<String, String> recoveryEnv, FaultyProxy proxy, int paceMillis) {
      this.proxy = proxy;
      this.paceMillis = paceMillis;
      this.name = name;
      this.faultUri = faultUri;
      this.faultFlushSeconds = faultFlushSeconds;
      this.recoveryUri = recoveryUri;
      this.recoveryEnv = recoveryEnv;
    }
  }

  /** What one fault's two runs did, and what the server and the spool held after each. */
  private static final class Outcome {
    final Cell cell;
    final ForkedApp.Result during;
    final ForkedApp.Result after;
    final Set<String> onServerDuring;
    final Set<String> inSpoolDuring;
    final List<String> onServerAfter;
    final Set<String> inSpoolAfter;
    final List<Integer> spanCounts;
    /** Between the requests of the faulty run. */
    final List<Long> gaps;
    final long millis;
    final int leftByNextRun;
    final List<ForkedApp.Result> uploads;
    final Map<String, Long> appFigures = new LinkedHashMap<>();

    Outcome(Cell cell, ForkedApp.Result during, ForkedApp.Result after,
        Set<String> onServerDuring, Set<String> inSpoolDuring, List<String> onServerAfter,
        Set<String> inSpoolAfter, List<Integer> spanCounts, List<Long> gaps, long millis,
        int leftByNextRun, List<ForkedApp.Result> uploads) {
      this.leftByNextRun = leftByNextRun;
      this.uploads = uploads;
      this.gaps = gaps;
      this.cell = cell;
      this.during = during;
      this.after = after;
      this.onServerDuring = onServerDuring;
      this.inSpoolDuring = inSpoolDuring;
      this.onServerAfter = onServerAfter;
      this.inSpoolAfter = inSpoolAfter;
      this.spanCounts = spanCounts;
      this.millis = millis;
      Matcher figure = Pattern.compile("(\\w+) (\\d+)").matcher(firstLine("calls "));
      while (figure.find()) {
        appFigures.put(figure.group(1), Long.parseLong(figure.group(2)));
      }
    }

    long app(String figure) {
      return appFigures.getOrDefault(figure, -1L);
    }

    private String firstLine(String prefix) {
      return during.stdout().lines().filter(line -> line.startsWith(prefix)).findFirst()
          .orElse("");
    }

    /** Traces the first run's agent sent, by its exit line. */
    long sent() {
      return exit("(\\d+) trace\\(s\\) sent to");
    }

    long exit(String regex) {
      Matcher matcher = Pattern.compile(regex).matcher(during.stderr());
      return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
    }

    long droppedSpans() {
      Matcher line = Pattern.compile("spans dropped by reason: \\{([^}]*)\\}")
          .matcher(during.stderr());
      long total = 0;
      if (line.find()) {
        Matcher count = Pattern.compile("=(\\d+)").matcher(line.group(1));
        while (count.find()) {
          total += Long.parseLong(count.group(1));
        }
      }
      return total;
    }

    /** The most a call may take under a fault: what catches an app thread waiting on it. */
    long p99Bound() {
      return Math.max(5 * app("p99_us"), app("p99_us") + 50_000);
    }

    List<Executable> checks(Outcome baseline) {
      String name = cell.name + ": ";
      Set<String> accounted = new HashSet<>(onServerDuring);
      accounted.addAll(inSpoolDuring);
      List<Executable> checks = new ArrayList<>();
      if (cell.name.startsWith("http-429")) {
        // Retry-After is waited for before every further request (not the far shorter first
        // backoff, 0.25 to 0.5 s), and the exit sends no burst either. On a busy machine the
        // first trace may only be ready at exit: then one request is all the server gets.
        checks.add(() -> assertTrue(gaps.stream()
            .allMatch(gap -> gap >= RETRY_AFTER_SECONDS * 1000 - 100), name + gaps));
      }
      checks.addAll(List.of(
          () -> during.assertCleanRun(),
          () -> after.assertCleanRun(),
          () -> uploads.forEach(ForkedApp.Result::assertCleanRun),
          () -> assertEquals(CALLS, app("calls"), name + during.stdout()),
          () -> assertTrue(app("p99_us") <= baseline.p99Bound(), name + "p99 " + app("p99_us")
              + " us, over the bound " + baseline.p99Bound() + " us (healthy p99 "
              + baseline.app("p99_us") + " us)"),
          () -> assertEquals(0, droppedSpans(), name + during.stderr()),
          () -> assertEquals(0, exit("lost (\\d+)"), name + during.stderr()),
          () -> assertEquals(0, exit("refused by the server (\\d+)"), name + during.stderr()),
          () -> assertEquals(CALLS, accounted.size(), name + "traces on the server ("
              + onServerDuring.size() + ") or in the spool (" + inSpoolDuring.size()
              + ") after the faulty run\n" + during.stderr()),
          () -> assertEquals(CALLS + RECOVERY_CALLS, onServerAfter.size(), name
              + "traces on the server after recovery\n" + after.stderr()),
          () -> assertEquals(onServerAfter.size(), new HashSet<>(onServerAfter).size(),
              name + "each trace once"),
          () -> assertTrue(onServerAfter.containsAll(accounted), name + "every trace of the"
              + " faulty run is on the server"),
          () -> assertEquals(Set.of(), inSpoolAfter, name + "spool left\n" + after.stderr()),
          () -> assertEquals(List.of(1, 1, 1), spanCounts, name + "spans of a trace")));
      return checks;
    }
  }
}
