package org.mlflow.agent.sink;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.agent.config.AgentConfig;
import org.mlflow.agent.export.ExportedSpan;
import org.mlflow.agent.export.ExportedTrace;
import org.mlflow.agent.export.JsonCodec;
import org.mlflow.agent.export.MlflowJson;

/** TLS, the workspace header and refused credentials, against a WireMock MLflow. */
class TransportTest {

  private static final String TRACE_ID = "tr-00000000000000000000000000000007";

  private WireMockServer mlflow;

  @BeforeEach
  void start() {
    mlflow = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort()
        .dynamicHttpsPort());
    mlflow.start();
    mlflow.stubFor(get(urlPathEqualTo("/api/2.0/mlflow/experiments/get"))
        .willReturn(okJson("{\"experiment\":{\"experiment_id\":\"0\","
            + "\"artifact_location\":\"mlflow-artifacts:/0\"}}")));
    mlflow.stubFor(put(urlMatching("/api/2.0/mlflow-artifacts/artifacts/0/traces/.*"))
        .willReturn(okJson("{}")));
    mlflow.stubFor(post(urlPathEqualTo("/api/3.0/mlflow/traces")).willReturn(okJson("{}")));
  }

  @AfterEach
  void stop() {
    mlflow.stop();
  }

  private MlflowRestClient client(String baseUrl, Authorizer authorizer, String workspace,
      boolean insecureTls) {
    return new MlflowRestClient(URI.create(baseUrl), baseUrl, "0", null, authorizer, workspace,
        false, HttpClients.create(insecureTls));
  }

  private String httpUrl() {
    return "http://127.0.0.1:" + mlflow.port();
  }

  private String httpsUrl() {
    return "https://127.0.0.1:" + mlflow.httpsPort();
  }

  private static void send(MlflowRestClient client) throws Exception {
    ExportedSpan root = new ExportedSpan(1, 7, 3, 0, "Completions", 1_000_000_000L,
        2_000_000_000L, ExportedSpan.STATUS_OK, "", Map.of(), List.of());
    ExportedTrace trace = new ExportedTrace(TRACE_ID, "0", 1_000_000_000L, 1_000_000_000L, "OK",
        "q", "a", Map.of(), Map.of(), List.of(root));
    client.send(TRACE_ID, MlflowJson.traceFileInfo(trace),
        JsonCodec.mapper().writeValueAsBytes(MlflowJson.spansDocument(trace.spans())));
  }

  @Test
  void everyRequestNamesTheWorkspace() throws Exception {
    send(client(httpUrl(), Authorizer.fixed(null, "x"), "team-a", false));

    assertEquals(3, mlflow.getAllServeEvents().size());
    mlflow.getAllServeEvents().forEach(event ->
        assertEquals("team-a", event.getRequest().getHeader("X-MLFLOW-WORKSPACE")));
  }

  @Test
  void aCertificateTheJvmDoesNotTrustIsASettingsProblemThatNamesTheFix() {
    DeliveryException failure = assertThrows(DeliveryException.class,
        () -> send(client(httpsUrl(), Authorizer.fixed(null, "x"), null, false)));

    assertTrue(failure.settingsProblem());
    assertTrue(failure.getMessage().contains("TLS handshake failed"), failure.getMessage());
    assertTrue(failure.getMessage().contains("MLFLOW_TRACKING_INSECURE_TLS=true"),
        failure.getMessage());
    assertTrue(failure.getMessage().contains("javax.net.ssl.trustStore"), failure.getMessage());
  }

  @Test
  void insecureTlsAcceptsASelfSignedCertificate() throws Exception {
    send(client(httpsUrl(), Authorizer.fixed(null, "x"), null, true));

    assertEquals(1, mlflow.findAll(getRequestedFor(urlPathEqualTo(
        "/api/2.0/mlflow/experiments/get"))).size());
  }

  @Test
  void refusedCredentialsNameTheVariablesToFix() {
    mlflow.stubFor(get(urlPathEqualTo("/api/2.0/mlflow/experiments/get"))
        .withHeader("Authorization", equalTo("Basic d3Jvbmc6d3Jvbmc="))
        .willReturn(aResponse().withStatus(401).withBody("You are not authenticated.")));

    DeliveryException failure = assertThrows(DeliveryException.class, () -> send(client(
        httpUrl(), Authorizer.fixed("Basic d3Jvbmc6d3Jvbmc=",
            "MLFLOW_TRACKING_USERNAME / MLFLOW_TRACKING_PASSWORD"), null, false)));

    assertTrue(failure.settingsProblem());
    assertEquals(401, failure.status());
    assertTrue(failure.getMessage().endsWith("the credentials were refused: check"
        + " MLFLOW_TRACKING_USERNAME / MLFLOW_TRACKING_PASSWORD"), failure.getMessage());
  }

  @Test
  void tracesRefusedForTheirCredentialsWaitInTheSpoolNotAmongTheRejected(@TempDir Path folder) {
    mlflow.stubFor(get(urlPathEqualTo("/api/2.0/mlflow/experiments/get"))
        .willReturn(aResponse().withStatus(403).withBody("Permission denied")));
    Spool spool = new Spool(folder.resolve("unsent"), Long.MAX_VALUE);
    Spool rejected = new Spool(folder.resolve("rejected"), Long.MAX_VALUE);
    ServerSink sink = new ServerSink(new MlflowServerDelivery(client(httpUrl(),
        Authorizer.fixed("Bearer t", "MLFLOW_TRACKING_TOKEN"), null, false), "test", "0"),
        spool, rejected, 1 << 20, 5_000,
        new Backoff(5, 20), 60_000, AgentConfig.DEFAULT_SENDER_THREADS);

    sink.export(new ExportedTrace(TRACE_ID, "0", 1_000_000_000L, 1_000_000_000L, "OK", "q", "a",
        Map.of(), Map.of(), List.of(new ExportedSpan(1, 7, 3, 0, "Completions", 1_000_000_000L,
            2_000_000_000L, ExportedSpan.STATUS_OK, "", Map.of(), List.of()))));
    sink.close();

    assertEquals(1, spool.pending().size());
    assertEquals(0, rejected.pending().size());
    assertEquals(1L, sink.counters().get("spooled"));
    assertEquals(0L, sink.counters().get("retried"), "retrying cannot fix credentials");
  }

  @Test
  void basicCredentialsWinOverATokenAsInMlflowsPythonClient() {
    assertEquals("Basic dTpw", MlflowRestClient.authorization("t", "u", "p"));
    assertEquals("Bearer t", MlflowRestClient.authorization("t", null, null));
  }
}
