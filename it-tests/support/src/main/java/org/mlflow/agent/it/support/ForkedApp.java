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

  private ForkedApp(Class<?> mainClass) {
    this.mainClass = mainClass;
  }

  public static ForkedApp of(Class<?> mainClass) {
    return new ForkedApp(mainClass);
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

  public ForkedApp in(Path directory) {
    workingDir = directory;
    return this;
  }

  public Result run() throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    if (withAgent) {
      command.add("-javaagent:" + agentJar());
    }
    command.addAll(jvmOptions);
    if (mainClass == null) {
      command.add("-jar");
      command.add(agentJar().toString());
    } else {
      command.add("-cp");
      command.add(System.getProperty("app.classpath"));
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
    Process process = builder.start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("the app did not exit within 120 s: " + Files.readString(stderr));
    }
    return new Result(process.exitValue(),
        Files.readString(stdout, StandardCharsets.UTF_8),
        Files.readString(stderr, StandardCharsets.UTF_8), dir);
  }

  /** What a forked app did. */
  public static final class Result {
    private final int exitCode;
    private final String stdout;
    private final String stderr;
    private final Path workingDir;

    Result(int exitCode, String stdout, String stderr, Path workingDir) {
      this.exitCode = exitCode;
      this.stdout = stdout;
      this.stderr = stderr;
      this.workingDir = workingDir;
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
      return this;
    }
  }
}
