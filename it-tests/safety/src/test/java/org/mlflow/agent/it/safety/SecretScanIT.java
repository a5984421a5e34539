package org.mlflow.agent.it.safety;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.it.support.ForkedApp;
import org.mlflow.agent.it.support.SecretScan;
import org.mlflow.agent.it.support.TestSecrets;

/**
 * The secret scan every forked run goes through ({@link ForkedApp.Result#assertCleanRun}), here on
 * the run most likely to leak: a tracking server that cannot be reached, a token and a password, so
 * the agent logs connection warnings and writes the traces to its spool.
 */
class SecretScanIT {

  @Test
  void credentialsReachNeitherTheSpoolNorTheLog() throws Exception {
    Path dir = Files.createTempDirectory("secret-scan-");
    ForkedApp.Result run = ForkedApp.of(SoakApp.class)
        .env("MLFLOW_TRACKING_URI", "http://127.0.0.1:1")
        .env("MLFLOW_TRACKING_TOKEN", TestSecrets.MLFLOW_TOKEN)
        .env("MLFLOW_TRACKING_USERNAME", "alice")
        .env("MLFLOW_TRACKING_PASSWORD", TestSecrets.MLFLOW_PASSWORD)
        .args("1", "1", "0")
        .in(dir)
        .run()
        .assertCleanRun();

    int scanned = SecretScan.assertAbsentUnder(TestSecrets.ALL, dir.resolve("mlflow-traces"));
    assertTrue(scanned > 0, "the spool was scanned: " + run.stderr());
  }

  @Test
  void theScanFindsASecretWhereverItIs() throws Exception {
    Path dir = Files.createTempDirectory("secret-scan-");
    Files.createDirectories(dir.resolve("unsent"));
    Files.write(dir.resolve("unsent/tr-1.json"),
        ("{\"header\":\"Bearer " + TestSecrets.MLFLOW_TOKEN + "\"}").getBytes());
    assertThrows(AssertionError.class,
        () -> SecretScan.assertAbsentUnder(List.of(TestSecrets.MLFLOW_TOKEN), dir));
  }
}
