package org.mlflow.agent.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.mlflow.agent.AgentJar;
import org.mlflow.agent.AgentLog;
import org.mlflow.agent.config.AgentConfig;
import org.mlflow.agent.config.SettingSource;
import org.mlflow.agent.core.KnownSecrets;
import org.mlflow.agent.sink.DeliveryException;
import org.mlflow.agent.sink.MlflowRestClient;
import org.mlflow.agent.sink.Spool;

/**
 * {@code java -jar mlflow-tracing-agent.jar doctor}: checks what the agent would do with the
 * current settings, and says in one line each what is wrong and how to fix it.
 */
final class Doctor {

  private final PrintStream out;
  private int failures;

  private Doctor(PrintStream out) {
    this.out = out;
  }

  /** @return 0 when everything checked out, 1 otherwise */
  static int run(SettingSource settings, List<String> integrationNames, PrintStream out) {
    AgentConfig config = AgentConfig.load(settings, integrationNames);
    // A server's answer quoted in a line may echo a credential (a proxy that prints the request's
    // Authorization header): the doctor's lines are scrubbed as the agent's log lines are.
    AgentLog.neverPrint(KnownSecrets.pattern(config, settings));
    return new Doctor(out).check(config);
  }

  private int check(AgentConfig config) {
    print("mlflow-tracing-agent " + AgentJar.version() + " doctor");
    if (config.problems().isEmpty()) {
      ok("settings: no bad value");
    }
    config.problems().forEach(this::fail);
    if (!config.enabled()) {
      info("ENABLE_MLFLOW_TRACING is false: the agent would trace nothing");
    }
    checkFolder(config.tracesDir());
    if (config.trackingUri() == null) {
      info("no MLFLOW_TRACKING_URI: traces go to the folder " + config.tracesDir().toAbsolutePath());
    } else {
      checkServer(config);
      int waiting = new Spool(config.tracesDir().resolve("unsent"), Long.MAX_VALUE).pending().size();
      if (waiting > 0) {
        info(waiting + " trace(s) wait in " + config.tracesDir().resolve("unsent").toAbsolutePath()
            + ": the agent sends them when it next runs and reaches the server");
      }
    }
    print(failures == 0 ? "result: ready" : "result: " + failures + " problem(s)");
    return failures == 0 ? 0 : 1;
  }

  private void checkFolder(Path folder) {
    Path absolute = folder.toAbsolutePath();
    try {
      Files.createDirectories(absolute);
      Path probe = Files.createTempFile(absolute, ".doctor-", ".tmp");
      Files.delete(probe);
      ok("traces folder " + absolute + " is writable");
    } catch (IOException | RuntimeException notWritable) {
      fail("traces folder " + absolute + " is not writable (" + notWritable.getMessage()
          + "): set MLFLOW_AGENT_TRACES_DIR to a writable folder (the agent would fall back to"
          + " the temporary folder)");
    }
  }

  private void checkServer(AgentConfig config) {
    MlflowRestClient client = MlflowRestClient.forConfig(config);
    String uriVariable = config.databricks() ? "DATABRICKS_HOST" : "MLFLOW_TRACKING_URI";
    try {
      if (!client.databricks() && !checkVersion(client, uriVariable)) {
        return;
      }
      try {
        ok(client.experimentSummary() + "; credentials accepted");
      } catch (DeliveryException refused) {
        fail(explain(refused, client, uriVariable));
      }
    } finally {
      client.close();
    }
  }

  /** @return whether the server answered as an MLflow server with the trace API */
  private boolean checkVersion(MlflowRestClient client, String uriVariable) {
    String version;
    try {
      version = client.serverVersion();
    } catch (DeliveryException failed) {
      fail(explain(failed, client, uriVariable));
      return false;
    }
    if (!version.matches("\\d+(\\.\\d+)*.*")) {
      fail(client.describe() + " answers GET /version with \"" + shorten(version) + "\", not an"
          + " MLflow version: check " + uriVariable + " (the tracking server's base address)");
      return false;
    }
    if (Integer.parseInt(version.split("\\.")[0]) < 3) {
      fail(client.describe() + " runs MLflow " + version + ", which has no trace API v3: upgrade"
          + " the server to MLflow 3");
      return false;
    }
    ok(client.describe() + " answers (MLflow " + version + ")");
    return true;
  }

  /** One line naming the problem and the setting that fixes it. */
  private static String explain(DeliveryException failure, MlflowRestClient client,
      String uriVariable) {
    String message = failure.getMessage();
    if (failure.status() == 401 || failure.status() == 403) {
      return "the server refused the credentials (" + message + ")";
    }
    if (failure.settingsProblem()) {
      return message; // TLS trust or OAuth: the message names the fix
    }
    if (message.contains("RESOURCE_DOES_NOT_EXIST")) {
      return "the experiment does not exist (" + message + "): check MLFLOW_EXPERIMENT_ID, or"
          + " set MLFLOW_EXPERIMENT_NAME to have it created";
    }
    if (failure.status() == 404 || failure.status() == 405) {
      return client.describe() + " answers, but not as an MLflow tracking server (" + message
          + "): check " + uriVariable + " (the tracking server's base address)";
    }
    if (failure.status() < 0 && failure.retryable()) {
      return "cannot reach " + client.describe() + ": " + message + "; check " + uriVariable
          + " and that the server runs";
    }
    return message;
  }

  private static String shorten(String text) {
    return text.length() > 60 ? text.substring(0, 60) + "..." : text;
  }

  private void ok(String line) {
    print("OK    " + line);
  }

  private void info(String line) {
    print("INFO  " + line);
  }

  private void fail(String line) {
    failures++;
    print("FAIL  " + line);
  }

  private void print(String line) {
    out.println(AgentLog.scrub(line));
  }
}
