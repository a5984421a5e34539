package org.mlflow.agent.it.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.it.mlflow.MlflowServer;
import org.mlflow.agent.it.mlflow.MlflowServer.Backend;
import org.mlflow.agent.it.support.ForkedApp;
import org.mlflow.agent.it.support.ForkedApp.Result;
import org.mlflow.agent.it.support.TraceFiles;

/**
 * How the agent reaches a server: HTTPS with the JVM's trust store or without verification,
 * MLflow's basic-auth app (a real server), and Databricks with a token.
 */
class ServerTransportIT {

  private static final String ADMIN_PASSWORD = "agent-IT-admin-Pass-2026";
  /** Exit waits only until all is sent; generous so a loaded test machine still sends it all. */
  private static final String FLUSH_SECONDS = "60";

  private OpenAiFake openai;
  private WireMockServer mlflow;

  @BeforeEach
  void start() {
    openai = new OpenAiFake();
    mlflow = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort()
        .dynamicHttpsPort().templatingEnabled(true));
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
    openai.close();
    mlflow.stop();
  }

  private String httpsUrl() {
    return "https://127.0.0.1:" + mlflow.httpsPort();
  }

  private static List<String> warnings(Result run) {
    return run.agentLines().stream().filter(line -> line.contains(" WARN "))
        .collect(Collectors.toList());
  }

  @Test
  void aSelfSignedServerIsRefusedInOneLineThatNamesTheFixAndTheTracesWaitInTheSpool()
      throws Exception {
    Result run = ForkedApp.of(OpenAiChatApp.class).args(openai.baseUrl())
        .env("MLFLOW_AGENT_FLUSH_TIMEOUT_SECONDS", FLUSH_SECONDS)
        .env("MLFLOW_TRACKING_URI", httpsUrl())
        .run().assertCleanRun();

    assertEquals(3, TraceFiles.read(run.workingDir().resolve("mlflow-traces/unsent")).size(),
        run.stderr());
    List<String> tlsLines = run.agentLines().stream()
        .filter(line -> line.contains("TLS handshake failed")).collect(Collectors.toList());
    assertEquals(1, tlsLines.size(), run.stderr());
    assertTrue(tlsLines.get(0).startsWith("[mlflow-agent] WARN the MLflow server " + httpsUrl()),
        tlsLines.get(0));
    assertTrue(tlsLines.get(0).contains("MLFLOW_TRACKING_INSECURE_TLS=true"), tlsLines.get(0));
    assertEquals(0, mlflow.findAll(postRequestedFor(urlPathEqualTo("/api/3.0/mlflow/traces")))
        .size());
  }

  @Test
  void insecureTlsSendsToASelfSignedServerAndSaysSoOnce() throws Exception {
    Result run = ForkedApp.of(OpenAiChatApp.class).args(openai.baseUrl())
        .env("MLFLOW_AGENT_FLUSH_TIMEOUT_SECONDS", FLUSH_SECONDS)
        .env("MLFLOW_TRACKING_URI", httpsUrl())
        .env("MLFLOW_TRACKING_INSECURE_TLS", "true")
        .run().assertCleanRun();

    assertEquals(3, mlflow.findAll(postRequestedFor(urlPathEqualTo("/api/3.0/mlflow/traces")))
        .size(), run.stderr());
    assertEquals(List.of("[mlflow-agent] WARN MLFLOW_TRACKING_INSECURE_TLS=true: the agent does"
        + " not verify the TLS certificate of " + httpsUrl() + "; use it for test servers only."),
        warnings(run));
  }

  @Test
  void databricksGetsTheTraceThenItsSpansAtTheSignedUrlWithTheToken() throws Exception {
    String token = "dapi-IT-SECRET-token";
    mlflow.stubFor(get(urlPathEqualTo("/api/2.0/mlflow/experiments/get-by-name"))
        .withQueryParam("experiment_name", equalTo("/Shared/agent"))
        .willReturn(okJson("{\"experiment\":{\"experiment_id\":\"99\",\"name\":\"/Shared/agent\","
            + "\"artifact_location\":\"dbfs:/databricks/mlflow-tracking/99\"}}")));
    mlflow.stubFor(get(urlPathMatching("/api/2.0/mlflow/traces/tr-[0-9a-f]{32}/credentials-for-data-upload"))
        .willReturn(okJson("{\"credential_info\":{\"signed_uri\":\"http://127.0.0.1:"
            + mlflow.port() + "/s3/{{request.pathSegments.[4]}}/traces.json?X-Amz-Signature=s\","
            + "\"type\":\"AWS_PRESIGNED_URL\",\"headers\":[]}}")
            .withTransformers("response-template")));
    mlflow.stubFor(put(urlPathMatching("/s3/.*")).willReturn(aResponse().withStatus(200)));

    Result run = ForkedApp.of(OpenAiChatApp.class).args(openai.baseUrl())
        .env("MLFLOW_AGENT_FLUSH_TIMEOUT_SECONDS", FLUSH_SECONDS)
        .env("MLFLOW_TRACKING_URI", "databricks")
        .env("DATABRICKS_HOST", "http://127.0.0.1:" + mlflow.port())
        .env("DATABRICKS_TOKEN", token)
        .env("MLFLOW_EXPERIMENT_NAME", "/Shared/agent")
        .run().assertCleanRun();

    assertEquals(3, mlflow.findAll(postRequestedFor(urlPathEqualTo("/api/3.0/mlflow/traces"))
        .withHeader("Authorization", equalTo("Bearer " + token))).size(), run.stderr());
    List<String> uploads = mlflow.findAll(putRequestedFor(urlPathMatching("/s3/.*"))).stream()
        .map(request -> request.getUrl()).collect(Collectors.toList());
    assertEquals(3, new HashSet<>(uploads).size(), uploads.toString());
    mlflow.findAll(putRequestedFor(urlPathMatching("/s3/.*"))).forEach(request ->
        assertFalse(request.containsHeader("Authorization"), "the token went to storage"));
    assertFalse(run.stderr().contains(token));
    assertTrue(run.agentLines().get(0).contains("traces go to Databricks workspace"),
        run.stderr());
  }

  @Test
  void basicAuthOnARealServerTakesTheTracesAndAWrongPasswordKeepsThemWithOneLine()
      throws Exception {
    try (MlflowServer server = MlflowServer.startWithBasicAuth(Backend.SQLITE, ADMIN_PASSWORD)) {
      String experimentId = server.createExperiment("basic-auth");
      Result run = ForkedApp.of(OpenAiChatApp.class).args(openai.baseUrl())
        .env("MLFLOW_AGENT_FLUSH_TIMEOUT_SECONDS", FLUSH_SECONDS)
          .env("MLFLOW_TRACKING_URI", server.trackingUri())
          .env("MLFLOW_EXPERIMENT_ID", experimentId)
          .env("MLFLOW_TRACKING_USERNAME", MlflowServer.ADMIN_USER)
          .env("MLFLOW_TRACKING_PASSWORD", ADMIN_PASSWORD)
          .run().assertCleanRun();
      assertEquals(3, server.searchTraceIds(experimentId).size(), run.stderr());
      assertEquals(List.of(), warnings(run));

      Result refused = ForkedApp.of(OpenAiChatApp.class).args(openai.baseUrl())
        .env("MLFLOW_AGENT_FLUSH_TIMEOUT_SECONDS", FLUSH_SECONDS)
          .env("MLFLOW_TRACKING_URI", server.trackingUri())
          .env("MLFLOW_EXPERIMENT_ID", experimentId)
          .env("MLFLOW_TRACKING_USERNAME", MlflowServer.ADMIN_USER)
          .env("MLFLOW_TRACKING_PASSWORD", "wrong-password-42")
          .run().assertCleanRun();
      assertEquals(3, TraceFiles.read(refused.workingDir().resolve("mlflow-traces/unsent"))
          .size(), refused.stderr());
      List<String> refusals = refused.agentLines().stream()
          .filter(line -> line.contains("HTTP 401")).collect(Collectors.toList());
      assertEquals(1, refusals.size(), refused.stderr());
      assertTrue(refusals.get(0).contains("the credentials were refused: check"
          + " MLFLOW_TRACKING_USERNAME / MLFLOW_TRACKING_PASSWORD"), refusals.get(0));
      assertFalse(refused.stderr().contains("wrong-password-42"));
      assertEquals(3, server.searchTraceIds(experimentId).size());
    }
  }
}
