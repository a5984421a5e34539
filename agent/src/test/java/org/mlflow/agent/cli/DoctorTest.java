package org.mlflow.agent.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.agent.config.SettingSource;

class DoctorTest {

  @TempDir
  Path folder;

  private WireMockServer mlflow;
  private final Map<String, String> env = new HashMap<>();
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

  @BeforeEach
  void start() {
    mlflow = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    mlflow.start();
    mlflow.stubFor(get(urlPathEqualTo("/version")).willReturn(aResponse().withBody("3.17.2")));
    env.put("MLFLOW_AGENT_TRACES_DIR", folder.toString());
  }

  @AfterEach
  void stop() {
    mlflow.stop();
  }

  private int doctor() {
    return Doctor.run(new SettingSource(env, new Properties()), List.of(),
        new PrintStream(printed, true, StandardCharsets.UTF_8));
  }

  private List<String> lines() {
    return List.of(printed.toString(StandardCharsets.UTF_8).split("\\R"));
  }

  @Test
  void aHealthyServerAndExperimentAreReady() {
    env.put("MLFLOW_TRACKING_URI", mlflow.baseUrl());
    mlflow.stubFor(get(urlPathEqualTo("/api/2.0/mlflow/experiments/get")).willReturn(okJson(
        "{\"experiment\":{\"experiment_id\":\"0\",\"artifact_location\":\"mlflow-artifacts:/0\"}}")));

    assertEquals(0, doctor(), lines().toString());
    assertTrue(lines().contains("OK    MLflow server " + mlflow.baseUrl()
        + " (experiment 0) answers (MLflow 3.17.2)"), lines().toString());
    assertTrue(lines().contains("OK    experiment 0, artifacts at mlflow-artifacts:/0;"
        + " credentials accepted"), lines().toString());
    assertEquals("result: ready", lines().get(lines().size() - 1));
  }

  @Test
  void eachProblemIsOneLineThatSaysWhatToDo() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    env.put("MLFLOW_TRACKING_URI", "http://127.0.0.1:" + closedPort);
    env.put("MLFLOW_TRACE_SAMPLING_RATIO", "2");

    assertEquals(1, doctor());
    List<String> lines = lines();
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("FAIL  MLFLOW_TRACE_SAMPLING_RATIO=\"2\"")),
        lines.toString());
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("FAIL  cannot reach MLflow server"
        + " http://127.0.0.1:" + closedPort)), lines.toString());
    assertEquals("result: 2 problem(s)", lines.get(lines.size() - 1));
  }

  @Test
  void refusedCredentialsAreNamed() {
    env.put("MLFLOW_TRACKING_URI", mlflow.baseUrl());
    env.put("MLFLOW_TRACKING_TOKEN", "wrong-token");
    mlflow.stubFor(get(urlPathEqualTo("/api/2.0/mlflow/experiments/get"))
        .willReturn(aResponse().withStatus(401).withBody("{\"error_code\":\"UNAUTHENTICATED\"}")));

    assertEquals(1, doctor());
    assertTrue(lines().stream().anyMatch(l -> l.startsWith("FAIL  the server refused the"
        + " credentials") && l.contains("MLFLOW_TRACKING_TOKEN")), lines().toString());
    assertTrue(lines().stream().noneMatch(l -> l.contains("wrong-token")), "the token is secret");
  }

  @Test
  void aMissingExperimentIsNamed() {
    env.put("MLFLOW_TRACKING_URI", mlflow.baseUrl());
    env.put("MLFLOW_EXPERIMENT_ID", "42");
    mlflow.stubFor(get(urlPathEqualTo("/api/2.0/mlflow/experiments/get")).willReturn(
        aResponse().withStatus(404).withBody("{\"error_code\":\"RESOURCE_DOES_NOT_EXIST\"}")));

    assertEquals(1, doctor());
    assertTrue(lines().stream().anyMatch(l -> l.startsWith("FAIL  the experiment does not exist")
        && l.contains("MLFLOW_EXPERIMENT_NAME")), lines().toString());
  }

  @Test
  void withoutAServerTheFolderIsAllThatMatters() {
    assertEquals(0, doctor());
    assertTrue(lines().contains("OK    traces folder " + folder.toAbsolutePath() + " is writable"));
    assertTrue(lines().stream().anyMatch(l -> l.startsWith("INFO  no MLFLOW_TRACKING_URI")));
  }

  private boolean failsWith(String... parts) {
    return lines().stream().anyMatch(line -> line.startsWith("FAIL  ")
        && java.util.Arrays.stream(parts).allMatch(line::contains));
  }

  @Test
  void aHostNameThatDoesNotResolveIsNamedAsDns() {
    env.put("MLFLOW_TRACKING_URI", "http://mlflow.does-not-exist.invalid:5000");

    assertEquals(1, doctor());
    assertTrue(failsWith("cannot reach", "mlflow.does-not-exist.invalid", "does not resolve (DNS)",
        "check MLFLOW_TRACKING_URI"), lines().toString());
  }

  @Test
  void anUntrustedCertificateNamesTheTrustStoreAndInsecureTls() {
    WireMockServer https = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort()
        .dynamicHttpsPort());
    https.start();
    try {
      env.put("MLFLOW_TRACKING_URI", "https://127.0.0.1:" + https.httpsPort());

      assertEquals(1, doctor());
      assertTrue(failsWith("TLS handshake failed", "javax.net.ssl.trustStore",
          "MLFLOW_TRACKING_INSECURE_TLS=true"), lines().toString());
    } finally {
      https.stop();
    }
  }

  @Test
  void aForbiddenAnswerNamesTheCredentialVariables() {
    env.put("MLFLOW_TRACKING_URI", mlflow.baseUrl());
    env.put("MLFLOW_TRACKING_USERNAME", "bob");
    env.put("MLFLOW_TRACKING_PASSWORD", "pw-SECRET");
    mlflow.stubFor(get(urlPathEqualTo("/api/2.0/mlflow/experiments/get"))
        .willReturn(aResponse().withStatus(403).withBody("Permission denied")));

    assertEquals(1, doctor());
    assertTrue(failsWith("the server refused the credentials", "HTTP 403",
        "MLFLOW_TRACKING_USERNAME / MLFLOW_TRACKING_PASSWORD"), lines().toString());
    assertTrue(lines().stream().noneMatch(l -> l.contains("pw-SECRET")));
  }

  @Test
  void aDeletedExperimentIsNamed() {
    env.put("MLFLOW_TRACKING_URI", mlflow.baseUrl());
    env.put("MLFLOW_EXPERIMENT_ID", "5");
    mlflow.stubFor(get(urlPathEqualTo("/api/2.0/mlflow/experiments/get")).willReturn(okJson(
        "{\"experiment\":{\"experiment_id\":\"5\",\"name\":\"old\",\"lifecycle_stage\":\"deleted\","
            + "\"artifact_location\":\"mlflow-artifacts:/5\"}}")));

    assertEquals(1, doctor());
    assertTrue(failsWith("experiment 5 (old) is deleted", "MLFLOW_EXPERIMENT_ID"),
        lines().toString());
  }

  @Test
  void somethingElseAtTheAddressIsNotTakenForAnMlflowServer() {
    env.put("MLFLOW_TRACKING_URI", mlflow.baseUrl());
    mlflow.stubFor(get(urlPathEqualTo("/version")).willReturn(aResponse().withStatus(404)));

    assertEquals(1, doctor());
    assertTrue(failsWith("answers, but not as an MLflow tracking server", "HTTP 404",
        "check MLFLOW_TRACKING_URI"), lines().toString());
  }

  @Test
  void aCredentialThatTheServerEchoesIsNeverPrinted() {
    env.put("MLFLOW_TRACKING_URI", mlflow.baseUrl());
    env.put("MLFLOW_TRACKING_TOKEN", "tok-SECRET-123456");
    // Something else at the address (a proxy) that quotes the request's Authorization header.
    mlflow.stubFor(get(urlPathEqualTo("/version")).willReturn(
        aResponse().withBody("Bearer tok-SECRET-123456 refused")));

    assertEquals(1, doctor());
    assertTrue(failsWith("answers GET /version with \"Bearer [REDACTED] refused\""),
        lines().toString());
    assertTrue(lines().stream().noneMatch(line -> line.contains("tok-SECRET-123456")),
        lines().toString());
  }

  @Test
  void anMlflow2ServerHasNoTraceApi() {
    env.put("MLFLOW_TRACKING_URI", mlflow.baseUrl());
    mlflow.stubFor(get(urlPathEqualTo("/version")).willReturn(aResponse().withBody("2.22.1")));

    assertEquals(1, doctor());
    assertTrue(failsWith("runs MLflow 2.22.1", "upgrade"), lines().toString());
  }

  @Test
  void settingsThatContradictOrMissAreEachOneLine() {
    env.put("MLFLOW_TRACKING_URI", "ftp://mlflow.example.com");
    env.put("MLFLOW_TRACKING_TOKEN", "t");
    env.put("MLFLOW_TRACKING_USERNAME", "u");
    env.put("MLFLOW_TRACKING_PASSWORD", "p");

    assertEquals(1, doctor());
    assertTrue(failsWith("MLFLOW_TRACKING_URI=\"ftp://mlflow.example.com\" is not supported"),
        lines().toString());
    assertTrue(failsWith("both MLFLOW_TRACKING_TOKEN and MLFLOW_TRACKING_USERNAME"),
        lines().toString());
  }

  @Test
  void aDatabricksHostWithoutCredentialsIsNamed() {
    env.put("MLFLOW_TRACKING_URI", "databricks");
    env.put("DATABRICKS_HOST", mlflow.baseUrl());
    mlflow.stubFor(get(urlPathEqualTo("/api/2.0/mlflow/experiments/get")).willReturn(
        aResponse().withStatus(401).withBody("{\"error_code\":\"UNAUTHENTICATED\"}")));

    assertEquals(1, doctor());
    assertTrue(failsWith("MLFLOW_TRACKING_URI=databricks needs credentials"), lines().toString());
    assertTrue(failsWith("the server refused the credentials", "DATABRICKS_TOKEN, or"
        + " DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET"), lines().toString());
  }

  @Test
  void aRefusedOauthClientIsNamedWithoutItsSecret() {
    env.put("MLFLOW_TRACKING_URI", "databricks");
    env.put("DATABRICKS_HOST", mlflow.baseUrl());
    env.put("DATABRICKS_CLIENT_ID", "sp-id");
    env.put("DATABRICKS_CLIENT_SECRET", "sp-SECRET-value");
    mlflow.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(
        urlPathEqualTo("/oidc/v1/token")).willReturn(aResponse().withStatus(401)
            .withBody("{\"error\":\"invalid_client\"}")));

    assertEquals(1, doctor());
    assertTrue(failsWith("Databricks OAuth token request", "invalid_client",
        "DATABRICKS_CLIENT_ID / DATABRICKS_CLIENT_SECRET"), lines().toString());
    assertTrue(lines().stream().noneMatch(l -> l.contains("sp-SECRET-value")));
  }

  @Test
  void aDatabricksWorkspaceWithATokenIsReady() {
    env.put("MLFLOW_TRACKING_URI", "databricks");
    env.put("DATABRICKS_HOST", mlflow.baseUrl());
    env.put("DATABRICKS_TOKEN", "dapi-x");
    env.put("MLFLOW_EXPERIMENT_NAME", "/Shared/agent");
    mlflow.stubFor(get(urlPathEqualTo("/api/2.0/mlflow/experiments/get-by-name")).willReturn(
        okJson("{\"experiment\":{\"experiment_id\":\"9\",\"name\":\"/Shared/agent\","
            + "\"artifact_location\":\"dbfs:/databricks/mlflow-tracking/9\"}}")));

    assertEquals(0, doctor(), lines().toString());
    assertTrue(lines().contains("OK    experiment 9, artifacts at"
        + " dbfs:/databricks/mlflow-tracking/9; credentials accepted"), lines().toString());
  }
}
