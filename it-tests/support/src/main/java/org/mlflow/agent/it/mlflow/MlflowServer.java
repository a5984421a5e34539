package org.mlflow.agent.it.mlflow;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real MLflow tracking server ({@code mlflow server}, a Python program) for the forked-JVM
 * integration tests, started and stopped by the tests themselves.
 *
 * <p>MLflow is installed once into a cached virtualenv,
 * {@code ~/.cache/mlflow-tracing-agent/venv-mlflow-<version>}, with the version taken from the
 * system property {@code mlflow.server.version} (default {@value #DEFAULT_VERSION}). Later runs,
 * and other JVMs, reuse it. Each {@link #start} runs its own server on a free 127.0.0.1 port, with
 * its own backend store and artifact folder in a new temp dir, so tests never see each other's
 * data. {@link #close} stops the server and deletes that dir.
 *
 * <p>If Python or the MLflow install is unavailable, the calling test is aborted (reported as
 * skipped) on a developer machine. When the environment variable {@code CI} is {@code true}, it
 * fails instead, so a CI run cannot go green without ever talking to a real server.
 *
 * <pre>{@code
 * try (MlflowServer mlflow = MlflowServer.start(MlflowServer.Backend.SQLITE)) {
 *   String experimentId = mlflow.createExperiment("my-test");
 *   // ... run the app with the agent exporting to mlflow.trackingUri() ...
 *   List<String> traceIds = mlflow.searchTraceIds(experimentId);
 *   JsonNode spans = mlflow.traceSpans(traceIds.get(0)).get("spans");
 * }
 * }</pre>
 *
 * <p>The REST helpers throw {@link IllegalStateException} carrying the server's status and body
 * when the answer is not 200. {@link #serverLog()} helps explain such failures.
 */
public final class MlflowServer implements AutoCloseable {

  /** The tracking store behind the server. */
  public enum Backend {
    /** {@code sqlite:///<tmp>/mlflow.db}, the SQL store (MLflow's default kind of backend). */
    SQLITE,
    /**
     * The legacy file store {@code <tmp>/mlruns}; MLflow 3 only starts on it with
     * {@code MLFLOW_ALLOW_FILE_STORE=true}.
     */
    FILE_STORE
  }

  private static final String DEFAULT_VERSION = "3.18.0";
  private static final Path CACHE_DIR =
      Path.of(System.getProperty("user.home"), ".cache", "mlflow-tracing-agent");
  private static final String PARTIAL_MARKER = ".partial-";
  private static final String FALLBACK_SCRIPT = "install_without_missing_siblings.py";
  private static final String EXTRA_SCRIPT = "install_extra.py";

  private static final Duration PIP_TIMEOUT = Duration.ofMinutes(15);
  private static final Duration VENV_TIMEOUT = Duration.ofMinutes(2);
  // A cold `import mlflow` on a slow disk takes several seconds; this only bounds a hung check.
  private static final Duration IMPORT_CHECK_TIMEOUT = Duration.ofMinutes(2);
  // A bound for a hung server, not an expectation: a loaded shared test machine has taken 90 s.
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(180);
  private static final Duration HEALTH_POLL_INTERVAL = Duration.ofMillis(200);
  private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration PYTHON_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);
  private static final Duration KILL_WAIT = Duration.ofSeconds(2);
  private static final int LOG_TAIL_LINES = 80;

  private static final ObjectMapper JSON = new ObjectMapper();
  // Everything goes to 127.0.0.1, so never through a configured proxy. HTTP/1.1 because an h2c
  // upgrade attempt only earns a warning from uvicorn.
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .proxy(HttpClient.Builder.NO_PROXY)
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  /** Versions whose venv this JVM has checked, so later starts skip the slow import check. */
  // guarded by MlflowServer.class
  private static final Set<String> VERIFIED_VERSIONS = new HashSet<>();
  /**
   * Why installing a version failed in this JVM. Later starts report the same reason at once
   * instead of making every test wait for another failing pip run (up to 15 min each).
   */
  // guarded by MlflowServer.class
  private static final Map<String, String> INSTALL_FAILURES = new HashMap<>();

  /** The basic-auth administrator's password, or null for a server without auth. */
  private final String adminPassword;
  private final Path python;
  private final Path tempDir;
  private final Path logFile;
  private final Process process;
  private final String trackingUri;
  private final Thread shutdownHook;
  private boolean closed; // guarded by this

  private MlflowServer(
      Path python, Path tempDir, Path logFile, Process process, int port, String adminPassword) {
    this.adminPassword = adminPassword;
    this.python = python;
    this.tempDir = tempDir;
    this.logFile = logFile;
    this.process = process;
    this.trackingUri = "http://127.0.0.1:" + port;
    // A test that forgets close(), or a JVM that exits early, must not leave a server running.
    this.shutdownHook = new Thread(this::close, "mlflow-server-stop-" + port);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Installs MLflow if needed, starts {@code mlflow server} on a free 127.0.0.1 port and waits
   * until {@code GET /health} answers 200.
   *
   * <p>The first call on a machine installs {@code mlflow==<version>} with pip, which takes a few
   * minutes; it prints one line to {@code System.err} first. The server gets one worker, job
   * execution and telemetry turned off, and its stdout and stderr go to {@code server.log} in its
   * temp dir (see {@link #serverLog()}). Startup takes about 5 to 10 s.
   *
   * @param backend the tracking store to run the server with
   * @return the running server; close it to stop the server and delete its data
   * @throws org.opentest4j.TestAbortedException if Python or the install is unavailable and env
   *     {@code CI} is not {@code true}
   * @throws IllegalStateException if Python or the install is unavailable and {@code CI=true}, or
   *     if the server exits or does not answer {@code /health} within 180 s (the message holds the
   *     tail of its log)
   */
  public static MlflowServer start(Backend backend) throws Exception {
    return start(backend, null, freePort());
  }

  /**
   * Like {@link #start}, on a given 127.0.0.1 port: for tests where the app is pointed at the
   * server before it runs (an outage that ends).
   */
  public static MlflowServer start(Backend backend, int port) throws Exception {
    return start(backend, null, port);
  }

  /** The user MLflow's basic-auth app creates as administrator on its first start. */
  public static final String ADMIN_USER = "admin";

  /**
   * Like {@link #start}, with MLflow's basic-auth app ({@code --app-name basic-auth}): every
   * request needs HTTP basic credentials. The administrator {@value #ADMIN_USER} is created with
   * {@code adminPassword} (MLflow ships no default and refuses short ones); this class's REST and
   * Python helpers use those credentials.
   */
  public static MlflowServer startWithBasicAuth(Backend backend, String adminPassword)
      throws Exception {
    return start(backend, adminPassword, freePort());
  }

  private static MlflowServer start(Backend backend, String adminPassword, int port)
      throws Exception {
    String version = System.getProperty("mlflow.server.version", DEFAULT_VERSION);
    Path python = ensureInstalled(version).resolve("bin").resolve("python");
    if (adminPassword != null) {
      ensureExtra(python, version, "auth");
    }
    Path tempDir = Files.createTempDirectory("mlflow-server-");
    Path logFile = tempDir.resolve("server.log");

    String backendStoreUri =
        switch (backend) {
          case SQLITE -> "sqlite:///" + tempDir.resolve("mlflow.db");
          case FILE_STORE -> tempDir.resolve("mlruns").toString();
        };
    // `python -m mlflow` rather than bin/mlflow: the venv was built under another name and
    // renamed, so the shebangs of its console scripts point at a directory that no longer exists.
    ProcessBuilder builder =
        new ProcessBuilder(
                python.toString(), "-m", "mlflow", "server",
                "--backend-store-uri", backendStoreUri,
                "--artifacts-destination", tempDir.resolve("mlartifacts").toString(),
                "--host", "127.0.0.1",
                "--port", Integer.toString(port),
                "--workers", "1")
            .directory(tempDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(logFile.toFile());
    Map<String, String> env = builder.environment();
    removeInheritedClientSettings(env);
    if (adminPassword != null) {
      builder.command().addAll(List.of("--app-name", "basic-auth"));
      // The auth app keeps its users in basic_auth.db in the working directory (the temp dir).
      env.put("MLFLOW_AUTH_ADMIN_PASSWORD", adminPassword);
      env.put("MLFLOW_FLASK_SERVER_SECRET_KEY", java.util.UUID.randomUUID().toString());
    }
    // Job execution would add a job runner and about 8 huey consumer processes and double the
    // startup time; the tests do not need it.
    env.put("MLFLOW_SERVER_ENABLE_JOB_EXECUTION", "false");
    env.put("MLFLOW_DISABLE_TELEMETRY", "true");
    if (backend == Backend.FILE_STORE) {
      // MLflow 3 refuses to start on a file store (maintenance mode) without this opt-in.
      env.put("MLFLOW_ALLOW_FILE_STORE", "true");
    }

    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      deleteRecursively(tempDir);
      throw e;
    }
    MlflowServer server =
        new MlflowServer(python, tempDir, logFile, process, port, adminPassword);
    try {
      server.awaitHealthy();
    } catch (Throwable t) {
      server.close();
      throw t;
    }
    return server;
  }

  /** The server's base URL, {@code http://127.0.0.1:<port>}, to use as MLflow tracking URI. */
  public String trackingUri() {
    return trackingUri;
  }

  /** Creates an experiment ({@code POST /api/2.0/mlflow/experiments/create}) and returns its id. */
  public String createExperiment(String name) {
    ObjectNode body = JSON.createObjectNode().put("name", name);
    return required(post("/api/2.0/mlflow/experiments/create", body), "experiment_id").asText();
  }

  /**
   * The {@code trace_info} of a trace ({@code GET /api/3.0/mlflow/traces/{id}}); this endpoint
   * never returns spans, use {@link #traceSpans} for them.
   */
  public JsonNode traceInfo(String traceId) {
    JsonNode reply = get("/api/3.0/mlflow/traces/" + encode(traceId).replace("+", "%20"));
    return required(required(reply, "trace"), "trace_info");
  }

  /**
   * The spans of a trace as {@code {"spans":[...]}} in the {@code traces.json} format, from
   * {@code GET /ajax-api/2.0/mlflow/get-trace-artifact}: the one endpoint that serves spans in that
   * format whether they were uploaded as an artifact or ingested into the database via OTLP.
   */
  public JsonNode traceSpans(String traceId) {
    return get("/ajax-api/2.0/mlflow/get-trace-artifact?request_id=" + encode(traceId));
  }

  /** The ids of all traces in an experiment, from {@code POST /api/3.0/mlflow/traces/search}. */
  public List<String> searchTraceIds(String experimentId) {
    List<String> ids = new ArrayList<>();
    String pageToken = null;
    do {
      ObjectNode body = JSON.createObjectNode();
      body.putArray("locations")
          .addObject()
          .put("type", "MLFLOW_EXPERIMENT")
          .putObject("mlflow_experiment")
          .put("experiment_id", experimentId);
      body.put("max_results", 500); // the server's maximum
      if (pageToken != null) {
        body.put("page_token", pageToken);
      }
      JsonNode reply = post("/api/3.0/mlflow/traces/search", body);
      // An empty result is `{}`, without a "traces" key; path() then iterates over nothing.
      reply.path("traces").forEach(trace -> ids.add(required(trace, "trace_id").asText()));
      pageToken = reply.path("next_page_token").asText("");
    } while (!pageToken.isEmpty());
    return ids;
  }

  /**
   * Runs {@code python -c script args...} with the venv's Python, which has {@code mlflow}
   * installed, and {@code MLFLOW_TRACKING_URI} pointing at this server.
   *
   * @return the script's stdout
   * @throws IllegalStateException with the script's stdout and stderr if it exits with a non-zero
   *     code or has not finished after 120 s (it is then killed)
   */
  public String python(String script, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(python.toString(), "-c", script));
    command.addAll(List.of(args));
    Path stdoutFile = Files.createTempFile(tempDir, "python-", ".stdout");
    Path stderrFile = Files.createTempFile(tempDir, "python-", ".stderr");
    // Files rather than pipes: no reader threads, and a chatty script cannot block on a full pipe.
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(tempDir.toFile())
            .redirectOutput(stdoutFile.toFile())
            .redirectError(stderrFile.toFile());
    Map<String, String> env = builder.environment();
    removeInheritedClientSettings(env);
    env.put("MLFLOW_TRACKING_URI", trackingUri);
    env.put("MLFLOW_DISABLE_TELEMETRY", "true");
    if (adminPassword != null) {
      env.put("MLFLOW_TRACKING_USERNAME", ADMIN_USER);
      env.put("MLFLOW_TRACKING_PASSWORD", adminPassword);
    }
    env.put("PYTHONIOENCODING", "utf-8"); // stdout is read back as UTF-8

    Process child = builder.start();
    child.getOutputStream().close();
    boolean finished = false;
    try {
      finished = child.waitFor(PYTHON_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } finally {
      if (!finished) {
        destroyTree(child.toHandle(), Duration.ZERO);
      }
    }
    String stdout = readQuietly(stdoutFile);
    String stderr = readQuietly(stderrFile);
    Files.deleteIfExists(stdoutFile);
    Files.deleteIfExists(stderrFile);
    if (!finished || child.exitValue() != 0) {
      String outcome =
          finished
              ? "exited with code " + child.exitValue()
              : "was killed after " + PYTHON_TIMEOUT.toSeconds() + " s";
      throw new IllegalStateException(
          "python script " + outcome
              + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr);
    }
    return stdout;
  }

  /** The server's combined stdout and stderr so far, for failure messages. */
  public String serverLog() {
    return readQuietly(logFile);
  }

  /**
   * Stops the server and its worker processes, forcibly after 10 s, then deletes its temp dir
   * (store, artifacts, log). Safe to call more than once.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException jvmShuttingDown) {
      // Called from the hook itself, or while it runs; it then finds the server closed.
    }
    destroyTree(process.toHandle(), STOP_GRACE);
    deleteRecursively(tempDir);
  }

  private void awaitHealthy() throws InterruptedException {
    HttpRequest health =
        HttpRequest.newBuilder(URI.create(trackingUri + "/health"))
            .timeout(Duration.ofSeconds(2))
            .GET()
            .build();
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "mlflow server exited with code " + process.exitValue()
                + " before answering /health; server log tail:\n" + tail(serverLog()));
      }
      try {
        if (HTTP.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notListeningYet) {
        // Keep polling: the port opens only once the worker has imported the app.
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(
            "mlflow server did not answer GET /health with 200 within "
                + STARTUP_TIMEOUT.toSeconds() + " s; server log tail:\n" + tail(serverLog()));
      }
      Thread.sleep(HEALTH_POLL_INTERVAL.toMillis());
    }
  }

  private JsonNode get(String pathAndQuery) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(trackingUri + pathAndQuery));
    return send(request.GET(), "GET " + pathAndQuery);
  }

  private JsonNode post(String path, JsonNode body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(trackingUri + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString(), UTF_8));
    return send(request, "POST " + path + " " + body);
  }

  private JsonNode send(HttpRequest.Builder request, String description) {
    if (adminPassword != null) {
      request.header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
          (ADMIN_USER + ":" + adminPassword).getBytes(UTF_8)));
    }
    HttpResponse<String> response;
    try {
      HttpRequest built = request.timeout(HTTP_TIMEOUT).build();
      response = HTTP.send(built, HttpResponse.BodyHandlers.ofString(UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(description + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(description + " was interrupted", e);
    }
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          description + " -> HTTP " + response.statusCode() + ": " + response.body());
    }
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new IllegalStateException(
          description + " -> HTTP 200 but not JSON: " + response.body(), e);
    }
  }

  private static JsonNode required(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new IllegalStateException("no \"" + field + "\" in the server's answer: " + node);
    }
    return value;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, UTF_8);
  }

  private static String tail(String log) {
    List<String> lines = log.lines().toList();
    return String.join(
        "\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
  }

  // ---------------------------------------------------------------------------------------------
  // Installing MLflow

  /**
   * Returns the venv for {@code version}, installing it first if it is missing or broken.
   * Synchronized because a JVM cannot hold the same file lock twice: two threads of one JVM would
   * get an OverlappingFileLockException instead of waiting.
   */
  private static synchronized Path ensureInstalled(String version) throws Exception {
    Path venv = CACHE_DIR.resolve("venv-mlflow-" + version);
    if (VERIFIED_VERSIONS.contains(version)) {
      return venv;
    }
    if (INSTALL_FAILURES.containsKey(version)) {
      throw unavailable(INSTALL_FAILURES.get(version));
    }
    if (!hasMlflow(venv, version)) {
      Files.createDirectories(CACHE_DIR);
      Path lockFile = CACHE_DIR.resolve("install.lock");
      try (FileChannel channel =
          FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        FileLock lock = channel.tryLock();
        if (lock == null) {
          System.err.println(
              "[MlflowServer] waiting for another JVM that is installing into " + CACHE_DIR);
          lock = channel.lock();
        }
        try {
          // The JVM that held the lock may just have installed this very version.
          if (!hasMlflow(venv, version)) {
            install(version, venv);
          }
        } finally {
          lock.release();
        }
      }
    }
    VERIFIED_VERSIONS.add(version);
    return venv;
  }

  /**
   * Installs into the cached venv what mlflow's {@code extra} needs, as the installed mlflow's
   * metadata names it ({@value #EXTRA_SCRIPT}); a no-op once it is there. Under the install lock.
   */
  private static synchronized void ensureExtra(Path python, String version, String extra)
      throws Exception {
    Path log = CACHE_DIR.resolve("install-mlflow-" + version + ".log");
    Path script = Files.createTempFile("mlflow-" + EXTRA_SCRIPT, ".py");
    try (var in = MlflowServer.class.getResourceAsStream(EXTRA_SCRIPT);
        FileChannel channel = FileChannel.open(CACHE_DIR.resolve("install.lock"),
            StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = channel.lock()) {
      Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
      run(List.of(python.toString(), script.toString(), extra), log, PIP_TIMEOUT);
    } catch (IOException | TimeoutException e) {
      throw unavailable("installing mlflow[" + extra + "] " + version + " failed: "
          + e.getMessage() + "\n--- tail of " + log + " ---\n" + tail(readQuietly(log)));
    } finally {
      Files.deleteIfExists(script);
    }
  }

  /** Whether {@code venv} has a working Python that imports exactly {@code mlflow==version}. */
  private static boolean hasMlflow(Path venv, String version) throws InterruptedException {
    Path python = venv.resolve("bin").resolve("python");
    if (!Files.isExecutable(python)) {
      return false;
    }
    ProcessBuilder check =
        new ProcessBuilder(
                python.toString(),
                "-c",
                "import mlflow,sys; sys.exit(0 if mlflow.__version__==sys.argv[1] else 1)",
                version)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    check.environment().put("MLFLOW_DISABLE_TELEMETRY", "true");
    try {
      Process process = check.start();
      if (!process.waitFor(IMPORT_CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        destroyTree(process.toHandle(), Duration.ZERO);
        return false;
      }
      return process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Builds the venv in a temporary sibling dir and renames it into place only once {@code import
   * mlflow} works there, so an install killed midway never leaves a venv that looks valid. The
   * caller holds the install lock.
   */
  private static void install(String version, Path venv) throws Exception {
    if (!commandRuns("python3", "--version")) {
      throw installFailed(
          version,
          "python3 is not on the PATH; it is needed to install and run mlflow==" + version);
    }
    deleteLeftoverStagingDirs();
    Path staging = Files.createTempDirectory(CACHE_DIR, venv.getFileName() + PARTIAL_MARKER);
    Path installLog = CACHE_DIR.resolve("install-mlflow-" + version + ".log");
    Files.deleteIfExists(installLog);
    System.err.println(
        "[MlflowServer] installing mlflow==" + version + " into " + venv
            + " (first run only, takes a few minutes; log: " + installLog + ")");
    try {
      run(List.of("python3", "-m", "venv", staging.toString()), installLog, VENV_TIMEOUT);
      pipInstall(version, staging, installLog);
      if (!hasMlflow(staging, version)) {
        throw new IOException(
            "pip succeeded but `import mlflow` does not report version " + version);
      }
      if (Files.exists(venv, LinkOption.NOFOLLOW_LINKS)) {
        deleteRecursively(venv); // a broken venv: it failed hasMlflow() under the lock
      }
      Files.move(staging, venv, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | TimeoutException e) {
      deleteRecursively(staging);
      throw installFailed(
          version,
          "installing mlflow==" + version + " into " + venv + " failed: " + e.getMessage()
              + "\n--- tail of " + installLog + " ---\n" + tail(readQuietly(installLog)));
    }
  }

  /**
   * {@code pip install mlflow==version}; when pip cannot resolve it because the index lacks the
   * sibling wheels pinned at the same version (mlflow-skinny, mlflow-tracing: published after
   * mlflow itself, or never mirrored), installs the self-contained mlflow wheel with the
   * dependencies its metadata and the siblings' newest metadata name (see {@value
   * #FALLBACK_SCRIPT}), and says so loudly.
   */
  private static void pipInstall(String version, Path staging, Path installLog)
      throws IOException, InterruptedException, TimeoutException {
    // `python -m pip` is bin/pip without depending on the script's shebang line.
    String python = staging.resolve("bin").resolve("python").toString();
    try {
      run(
          List.of(python, "-m", "pip", "install", "--disable-pip-version-check", "-q",
              "mlflow==" + version),
          installLog,
          PIP_TIMEOUT);
      return;
    } catch (IOException failed) {
      String log = readQuietly(installLog);
      if (!log.contains("No matching distribution found for mlflow-")) {
        throw failed;
      }
    }
    System.err.println(
        "!!!!! [MlflowServer] pip cannot resolve mlflow==" + version + ": "
            + tail(readQuietly(installLog)).lines()
                .filter(line -> line.contains("No matching distribution"))
                .findFirst().orElse("")
            + " -- installing the mlflow " + version + " wheel itself with the dependencies its"
            + " metadata names (" + FALLBACK_SCRIPT + "; log: " + installLog + ")");
    Path workDir = Files.createDirectories(staging.resolve("fallback-wheels"));
    Path script = workDir.resolve(FALLBACK_SCRIPT);
    try (var in = MlflowServer.class.getResourceAsStream(FALLBACK_SCRIPT)) {
      Files.copy(in, script);
    }
    run(List.of(python, script.toString(), version, workDir.toString()), installLog, PIP_TIMEOUT);
    deleteRecursively(workDir);
  }

  /** Deletes the staging dirs of killed installs; only safe while holding the install lock. */
  private static void deleteLeftoverStagingDirs() throws IOException {
    try (Stream<Path> entries = Files.list(CACHE_DIR)) {
      entries
          .filter(path -> path.getFileName().toString().contains(PARTIAL_MARKER))
          .forEach(MlflowServer::deleteRecursively);
    }
  }

  /** Runs a command to completion, appending its output to {@code log}. */
  private static void run(List<String> command, Path log, Duration timeout)
      throws IOException, InterruptedException, TimeoutException {
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    process.getOutputStream().close();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      destroyTree(process.toHandle(), Duration.ZERO);
      throw new TimeoutException(
          String.join(" ", command) + " did not finish within " + timeout.toMinutes() + " min");
    }
    if (process.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " exited with code " + process.exitValue());
    }
  }

  private static boolean commandRuns(String... command) throws InterruptedException {
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return false;
      }
      return process.exitValue() == 0;
    } catch (IOException notOnPath) {
      return false;
    }
  }

  private static RuntimeException installFailed(String version, String reason) {
    INSTALL_FAILURES.put(version, reason);
    return unavailable(reason);
  }

  /**
   * Returns nothing: it either throws (fail in CI) or aborts the current test. Declared as
   * returning an exception so that callers can write {@code throw unavailable(...)}.
   */
  private static RuntimeException unavailable(String reason) {
    if ("true".equals(System.getenv("CI"))) {
      throw new IllegalStateException(reason + " (failing rather than skipping because CI=true)");
    }
    String firstLine = reason.lines().findFirst().orElse(reason);
    System.err.println("!!!!! [MlflowServer] SKIPPING the real-MLflow test: " + firstLine);
    return Assumptions.abort(reason);
  }

  // ---------------------------------------------------------------------------------------------
  // Processes and files

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    }
  }

  /**
   * Child processes only talk to this server on 127.0.0.1: an inherited tracking URI would point
   * them elsewhere, and an inherited proxy would route loopback requests through it.
   */
  private static void removeInheritedClientSettings(Map<String, String> env) {
    env.remove("MLFLOW_TRACKING_URI");
    env.keySet().removeIf(name -> name.toLowerCase().endsWith("_proxy"));
  }

  /**
   * Asks a process and all its descendants to stop, waits up to {@code grace} for them, then kills
   * whatever is left.
   */
  private static void destroyTree(ProcessHandle root, Duration grace) {
    // Snapshot the tree first: once the root dies its children are re-parented to init and can no
    // longer be found through it. `mlflow server` forwards SIGTERM to its uvicorn worker, but
    // signalling every process directly also covers a parent that is already gone.
    List<ProcessHandle> tree = new ArrayList<>();
    tree.add(root);
    root.descendants().forEach(tree::add);
    tree.forEach(ProcessHandle::destroy);
    awaitExit(tree, grace);
    List<ProcessHandle> survivors = tree.stream().filter(ProcessHandle::isAlive).toList();
    survivors.forEach(ProcessHandle::destroyForcibly);
    awaitExit(survivors, KILL_WAIT);
  }

  private static void awaitExit(List<ProcessHandle> processes, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (ProcessHandle process : processes) {
      try {
        process.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException | ExecutionException stillRunning) {
        // destroyTree() deals with whatever is still alive.
      } catch (InterruptedException e) {
        // Stop waiting, but keep the interrupt for the caller; the survivors are still killed.
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static String readQuietly(Path file) {
    try {
      // new String() replaces malformed bytes, where Files.readString would throw.
      return new String(Files.readAllBytes(file), UTF_8);
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e + ")";
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      System.err.println("[MlflowServer] could not fully delete " + dir + ": " + e);
    }
  }
}
