package org.mlflow.agent.it.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the test apps in a fresh JVM, with or without the built agent jar, and captures
 * what it printed. The JVM is the one running the tests, so the suite exercises the agent on
 * whichever JDK runs it.
 */
public final class ForkedApp {

  /** The stderr marker of any agent failure (see AgentLog.ERROR). */
  public static final String AGENT_ERROR = "[mlflow-agent] ERROR";

  /** The app's main class, or null to run the agent jar's own command line. */
  private final Class<?> mainClass;
  private final List<String> args = new ArrayList<>();
  private final Map<String, String> environment = new LinkedHashMap<>();
  private final List<String> jvmOptions = new ArrayList<>();
  private boolean withAgent = true;
  private Path workingDir;
  private long timeoutSeconds = 120;
  private String classpath;
  private Path executableJar;

  private ForkedApp(Class<?> mainClass) {
    this.mainClass = mainClass;
  }

  public static ForkedApp of(Class<?> mainClass) {
    return new ForkedApp(mainClass);
  }

  /** {@code java -jar <jar> <args>}: an executable jar app (a Spring Boot fat jar). */
  public static ForkedApp ofJar(Path jar) {
    ForkedApp app = new ForkedApp(null);
    app.executableJar = jar;
    return app;
  }

  /** {@code java -jar mlflow-tracing-agent.jar <args>}: the agent's command line tools. */
  public static ForkedApp agentCommandLine() {
    return new ForkedApp(null).withoutAgent();
  }

  public static Path agentJar() {
    Path jar = Paths.get(System.getProperty("agent.jar", "../agent/target/mlflow-tracing-agent.jar"));
    assertTrue(Files.isRegularFile(jar), "the agent jar is built before the integration tests: "
        + jar.toAbsolutePath());
    return jar.toAbsolutePath();
  }

  public ForkedApp args(String... values) {
    args.addAll(List.of(values));
    return this;
  }

  public ForkedApp env(String name, String value) {
    environment.put(name, value);
    return this;
  }

  public ForkedApp jvmOption(String option) {
    jvmOptions.add(option);
    return this;
  }

  public ForkedApp withoutAgent() {
    withAgent = false;
    return this;
  }

  /** The app's class path instead of the test module's (app.classpath): other library versions. */
  public ForkedApp classpath(String value) {
    classpath = value;
    return this;
  }

  /** How long the app may run before the test fails (default 120 s); for long soaks. */
  public ForkedApp timeoutSeconds(long seconds) {
    timeoutSeconds = seconds;
    return this;
  }

  public ForkedApp in(Path directory) {
    workingDir = directory;
    return this;
  }

  public Result run() throws IOException, InterruptedException {
    return start().awaitExit();
  }

  /** Starts the app and returns at once: for tests that stop it themselves (a crash). */
  public Started start() throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    if (withAgent) {
      command.add("-javaagent:" + agentJar());
    }
    command.addAll(jvmOptions);
    if (executableJar != null) {
      command.add("-jar");
      command.add(executableJar.toString());
    } else if (mainClass == null) {
      command.add("-jar");
      command.add(agentJar().toString());
    } else {
      command.add("-cp");
      command.add(classpath != null ? classpath : System.getProperty("app.classpath"));
      command.add(mainClass.getName());
    }
    command.addAll(args);
    Path dir = workingDir != null ? workingDir : Files.createTempDirectory("forked-app-");
    Path stdout = Files.createTempFile("forked-app-", ".out");
    Path stderr = Files.createTempFile("forked-app-", ".err");
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(dir.toFile())
        .redirectOutput(stdout.toFile())
        .redirectError(stderr.toFile());
    // The forked app sees only what the test sets: no agent setting leaks in from the build.
    builder.environment().keySet().removeIf(name -> name.startsWith("MLFLOW_")
        || name.startsWith("OPENAI_") || name.equals("ENABLE_MLFLOW_TRACING")
        || name.startsWith("DATABRICKS_") || name.startsWith("OTEL_"));
    builder.environment().putAll(environment);
    return new Started(builder.start(), dir, stdout, stderr);
  }

  /** The test secrets and any credential-like value this run was given in its environment. */
  private List<String> secretsGiven() {
    List<String> secrets = new ArrayList<>(TestSecrets.ALL);
    environment.forEach((name, value) -> {
      if (name.matches(".*(KEY|TOKEN|PASSWORD|SECRET).*") && value != null && value.length() >= 8) {
        secrets.add(value);
      }
    });
    return secrets;
  }

  /** Where this run's agent may have written: its working folder and a traces folder set apart. */
  private List<Path> tracesDirs(Path dir) {
    List<Path> dirs = new ArrayList<>(List.of(dir));
    String tracesDir = environment.get("MLFLOW_AGENT_TRACES_DIR");
    if (tracesDir != null && !tracesDir.isBlank()) {
      dirs.add(dir.resolve(tracesDir));
    }
    return dirs;
  }

  /** A forked app that is running. */
  public final class Started {
    private final Process process;
    private final Path dir;
    private final Path stdout;
    private final Path stderr;

    private Started(Process process, Path dir, Path stdout, Path stderr) {
      this.process = process;
      this.dir = dir;
      this.stdout = stdout;
      this.stderr = stderr;
    }

    /** The app's working folder. */
    public Path workingDir() {
      return dir;
    }

    public boolean isAlive() {
      return process.isAlive();
    }

    /** Waits for the app to exit (failing the test after the timeout) and says what it did. */
    public Result awaitExit() throws IOException, InterruptedException {
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        fail("the app did not exit within " + timeoutSeconds + " s: " + Files.readString(stderr));
      }
      return result();
    }

    /** Kills the JVM as {@code kill -9} does on Linux: no shutdown hook runs. */
    public Result kill() throws IOException, InterruptedException {
      process.destroyForcibly();
      assertTrue(process.waitFor(timeoutSeconds, TimeUnit.SECONDS), "the killed app is gone");
      return result();
    }

    private Result result() throws IOException {
      return new Result(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
          Files.readString(stderr, StandardCharsets.UTF_8), dir, secretsGiven(), tracesDirs(dir));
    }
  }

  /** What a forked app did. */
  public static final class Result {
    private final int exitCode;
    private final String stdout;
    private final String stderr;
    private final Path workingDir;
    private final List<String> secrets;
    private final List<Path> writtenDirs;

    Result(int exitCode, String stdout, String stderr, Path workingDir, List<String> secrets,
        List<Path> writtenDirs) {
      this.exitCode = exitCode;
      this.stdout = stdout;
      this.stderr = stderr;
      this.workingDir = workingDir;
      this.secrets = secrets;
      this.writtenDirs = writtenDirs;
    }

    public int exitCode() {
      return exitCode;
    }

    public String stdout() {
      return stdout;
    }

    public String stderr() {
      return stderr;
    }

    public Path workingDir() {
      return workingDir;
    }

    /** The lines the agent printed. */
    public List<String> agentLines() {
      List<String> lines = new ArrayList<>();
      for (String line : stderr.split("\\R")) {
        if (line.startsWith("[mlflow-agent]")) {
          lines.add(line);
        }
      }
      return lines;
    }

    /** The app exited normally and the agent reported no failure of its own. */
    public Result assertCleanRun() {
      assertEquals(0, exitCode, () -> "the app failed:\n" + stdout + "\n" + stderr);
      assertTrue(!stderr.contains(AGENT_ERROR),
          () -> "the agent reported an error:\n" + stderr);
      // JDK 24+ names the first class that used sun.misc.Unsafe; the app's own libraries (Netty)
      // may, the agent must not.
      assertTrue(!java.util.regex.Pattern.compile("sun\\.misc\\.Unsafe.*called by org\\.mlflow\\.agent")
              .matcher(stderr).find(),
          () -> "the agent made the JVM warn about Unsafe use:\n" + stderr);
      return assertNoSecretLeaked();
    }

    /**
     * No test secret (API keys, tokens, passwords: {@link TestSecrets}, and credential-like
     * values of the run's environment) in anything the run printed or wrote: log lines, trace
     * files, spool folders ({@code unsent/}, {@code rejected/}, {@code corrupt/}). Part of every
     * clean run, so it covers every forked run of the suite.
     */
    public Result assertNoSecretLeaked() {
      SecretScan.assertAbsent(secrets, "the app's output", stdout + "\n" + stderr);
      for (Path dir : writtenDirs) {
        SecretScan.assertAbsentUnder(secrets, dir);
      }
      return this;
    }
  }
}
