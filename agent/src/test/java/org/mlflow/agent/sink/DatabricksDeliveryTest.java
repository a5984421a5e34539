package org.mlflow.agent.sink;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.agent.config.AgentConfig;
import org.mlflow.agent.export.ExportedSpan;
import org.mlflow.agent.export.ExportedTrace;
import org.mlflow.agent.export.JsonCodec;
import org.mlflow.agent.export.MlflowJson;

/**
 * A trace sent to a Databricks workspace, against a WireMock modelled on its REST API: experiment
 * by name, StartTraceV3, the upload credential and the cloud storage the credential signs for.
 */
class DatabricksDeliveryTest {

  private static final String TRACE_ID = "tr-0000000000000000000000000000002a";
  private static final String REGISTER = "/api/3.0/mlflow/traces";
  private static final String CREDENTIAL =
      "/api/2.0/mlflow/traces/" + TRACE_ID + "/credentials-for-data-upload";
  private static final String PAT = "dapi-SECRET-token-1";
  private static final String CLIENT_SECRET = "oauth-SECRET-do-not-log";

  @TempDir
  Path folder;

  private WireMockServer workspace;

  @BeforeEach
  void start() {
    workspace = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    workspace.start();
    workspace.stubFor(get(urlPathEqualTo("/api/2.0/mlflow/experiments/get-by-name"))
        .withQueryParam("experiment_name", equalTo("/Users/me@example.com/agent"))
        .willReturn(okJson("{\"experiment\":{\"experiment_id\":\"3141\","
            + "\"name\":\"/Users/me@example.com/agent\","
            + "\"artifact_location\":\"dbfs:/databricks/mlflow-tracking/3141\","
            + "\"lifecycle_stage\":\"active\"}}")));
    workspace.stubFor(post(urlPathEqualTo(REGISTER)).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/json")
        .withBody("{{{request.body}}}").withTransformers("response-template")));
  }

  @AfterEach
  void stop() {
    workspace.stop();
  }

  private MlflowRestClient client(Authorizer authorizer) {
    return new MlflowRestClient(URI.create(workspace.baseUrl()), workspace.baseUrl(), null,
        "/Users/me@example.com/agent", authorizer, null, true, HttpClients.create(false));
  }

  private static Authorizer pat() {
    return Authorizer.fixed("Bearer " + PAT, "DATABRICKS_TOKEN");
  }

  private void credentialAnswers(String type, String signedPath, String headersJson) {
    workspace.stubFor(get(urlPathEqualTo(CREDENTIAL)).willReturn(okJson(
        "{\"credential_info\":{\"request_id\":\"" + TRACE_ID + "\",\"path\":\"traces.json\","
            + "\"signed_uri\":\"" + workspace.baseUrl() + signedPath + "\","
            + "\"type\":\"" + type + "\",\"headers\":" + headersJson + "}}")));
  }

  private static ExportedTrace trace() {
    ExportedSpan root = new ExportedSpan(1, 42, 3, 0, "Completions", 1_000_000_000L,
        2_000_000_000L, ExportedSpan.STATUS_OK, "", Map.of("mlflow.spanType", "CHAT_MODEL"),
        List.of());
    return new ExportedTrace(TRACE_ID, "0", 1_000_000_000L, 1_000_000_000L, "OK", "q", "a",
        Map.of(), Map.of("mlflow.traceName", "Completions"), List.of(root));
  }

  private static byte[] spans(ExportedTrace trace) throws Exception {
    return JsonCodec.mapper().writeValueAsBytes(MlflowJson.spansDocument(trace.spans()));
  }

  private void send(MlflowRestClient client) throws Exception {
    ExportedTrace trace = trace();
    client.send(TRACE_ID, MlflowJson.traceFileInfo(trace), spans(trace));
  }

  private List<String> calls() {
    return workspace.getAllServeEvents().stream()
        .map(event -> event.getRequest())
        .sorted((a, b) -> a.getLoggedDate().compareTo(b.getLoggedDate()))
        .map(r -> r.getMethod() + " " + r.getUrl())
        .collect(Collectors.toList());
  }

  @Test
  void aTokenTraceIsRegisteredThenItsSpansGoToTheAwsSignedUrl() throws Exception {
    credentialAnswers("AWS_PRESIGNED_URL", "/s3/bucket/traces.json?X-Amz-Signature=abc",
        "[{\"name\":\"x-amz-server-side-encryption\",\"value\":\"AES256\"}]");
    workspace.stubFor(put(urlPathEqualTo("/s3/bucket/traces.json")).willReturn(aResponse()
        .withStatus(200)));

    send(client(pat()));

    assertEquals(List.of(
        "GET /api/2.0/mlflow/experiments/get-by-name?experiment_name=%2FUsers%2Fme%40example.com%2Fagent",
        "POST " + REGISTER,
        "GET " + CREDENTIAL,
        "PUT /s3/bucket/traces.json?X-Amz-Signature=abc"), calls());
    LoggedRequest register = workspace.findAll(postRequestedFor(urlPathEqualTo(REGISTER))).get(0);
    assertEquals("Bearer " + PAT, register.getHeader("Authorization"));
    assertEquals("3141", JsonCodec.mapper().readTree(register.getBodyAsString())
        .at("/trace/trace_info/trace_location/mlflow_experiment/experiment_id").asText());
    LoggedRequest upload = workspace.findAll(putRequestedFor(
        urlPathEqualTo("/s3/bucket/traces.json"))).get(0);
    assertEquals("AES256", upload.getHeader("x-amz-server-side-encryption"));
    assertFalse(upload.containsHeader("Authorization"), "the token never goes to storage");
    assertFalse(upload.containsHeader("x-ms-blob-type"));
    assertEquals("Completions", JsonCodec.mapper().readTree(upload.getBodyAsString())
        .at("/spans/0/name").asText());
  }

  @Test
  void anAzureSasUrlGetsABlockBlobWithTheCredentialsHeaders() throws Exception {
    credentialAnswers("AZURE_SAS_URI", "/container/traces.json?sv=2020&sig=xyz",
        "[{\"name\":\"x-ms-encryption-scope\",\"value\":\"scope1\"}]");
    workspace.stubFor(put(urlPathEqualTo("/container/traces.json"))
        .withHeader("x-ms-blob-type", equalTo("BlockBlob"))
        .withHeader("x-ms-encryption-scope", equalTo("scope1"))
        .withHeader("Authorization", absent())
        .willReturn(aResponse().withStatus(201)));

    send(client(pat()));

    assertEquals(1, workspace.findAll(putRequestedFor(urlPathEqualTo("/container/traces.json"))
        .withHeader("x-ms-blob-type", equalTo("BlockBlob"))).size(), calls().toString());
  }

  @Test
  void anAdlsGen2UrlIsCreatedThenAppendedAndFlushed() throws Exception {
    credentialAnswers("AZURE_ADLS_GEN2_SAS_URI", "/fs/traces.json?sig=xyz", "[]");
    workspace.stubFor(put(urlPathEqualTo("/fs/traces.json")).withQueryParam("resource",
        equalTo("file")).willReturn(aResponse().withStatus(201)));
    workspace.stubFor(patch(urlPathEqualTo("/fs/traces.json"))
        .withQueryParam("action", equalTo("append")).withQueryParam("position", equalTo("0"))
        .withQueryParam("flush", equalTo("true")).willReturn(aResponse().withStatus(202)));

    send(client(pat()));

    assertEquals(1, workspace.findAll(patchRequestedFor(urlPathEqualTo("/fs/traces.json")))
        .size(), calls().toString());
  }

  @Test
  void aRateLimitedWorkspaceIsBackedOffFromAndTheTraceArrivesOnce() throws Exception {
    workspace.stubFor(post(urlPathEqualTo(REGISTER)).inScenario("quota")
        .whenScenarioStateIs(Scenario.STARTED)
        .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")
            .withBody("{\"error_code\":\"REQUEST_LIMIT_EXCEEDED\"}"))
        .willSetStateTo("ok"));
    workspace.stubFor(post(urlPathEqualTo(REGISTER)).inScenario("quota")
        .whenScenarioStateIs("ok").willReturn(okJson("{}")));
    credentialAnswers("GCP_SIGNED_URL", "/gcs/traces.json?X-Goog-Signature=1", "[]");
    workspace.stubFor(put(urlPathEqualTo("/gcs/traces.json")).willReturn(aResponse()
        .withStatus(200)));
    Backoff backoff = new Backoff(5, 20);
    ServerSink sink = new ServerSink(new MlflowServerDelivery(client(pat()), "test", "0"),
        new Spool(folder.resolve("unsent"), 1 << 20),
        new Spool(folder.resolve("rejected"), 1 << 20), 1 << 20, 10_000, backoff, 50,
        AgentConfig.DEFAULT_SENDER_THREADS);

    sink.export(trace());
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
      while (sink.counters().get("sent") != 1L) {
        Thread.sleep(20);
      }
    });
    sink.close();

    assertEquals(2, workspace.findAll(postRequestedFor(urlPathEqualTo(REGISTER))).size());
    assertEquals(1, workspace.findAll(putRequestedFor(urlPathEqualTo("/gcs/traces.json"))).size());
    assertEquals(1L, sink.counters().get("retried"));
  }

  @Test
  void oauthTradesTheClientSecretForATokenAndRenewsItBeforeItExpires() throws Exception {
    workspace.stubFor(post(urlPathEqualTo("/oidc/v1/token")).inScenario("tokens")
        .whenScenarioStateIs(Scenario.STARTED)
        .willReturn(okJson("{\"access_token\":\"oauth-token-1\",\"token_type\":\"Bearer\","
            + "\"expires_in\":3600,\"scope\":\"all-apis\"}"))
        .willSetStateTo("second"));
    workspace.stubFor(post(urlPathEqualTo("/oidc/v1/token")).inScenario("tokens")
        .whenScenarioStateIs("second")
        .willReturn(okJson("{\"access_token\":\"oauth-token-2\",\"token_type\":\"Bearer\","
            + "\"expires_in\":3600}")));
    AtomicLong now = new AtomicLong(1_000_000);
    DatabricksOAuth oauth = new DatabricksOAuth(HttpUrl.get(workspace.baseUrl()), "sp-client-id",
        CLIENT_SECRET, HttpClients.create(false), now::get);

    assertEquals("Bearer oauth-token-1", oauth.header());
    now.addAndGet(Duration.ofMinutes(58).toMillis());
    assertEquals("Bearer oauth-token-1", oauth.header(), "kept while far from expiry");
    now.addAndGet(Duration.ofMinutes(1).plusSeconds(1).toMillis());
    assertEquals("Bearer oauth-token-2", oauth.header(), "renewed a minute before expiry");

    List<LoggedRequest> tokenRequests =
        workspace.findAll(postRequestedFor(urlPathEqualTo("/oidc/v1/token")));
    assertEquals(2, tokenRequests.size());
    LoggedRequest first = tokenRequests.get(0);
    assertEquals("Basic " + Base64.getEncoder().encodeToString(
        ("sp-client-id:" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8)),
        first.getHeader("Authorization"));
    assertTrue(first.getHeader("Content-Type").startsWith("application/x-www-form-urlencoded"));
    assertEquals("grant_type=client_credentials&scope=all-apis", first.getBodyAsString());
  }

  @Test
  void oauthTokensAreSentToTheWorkspaceAndAWrongSecretNamesTheVariablesNotTheSecret()
      throws Exception {
    workspace.stubFor(post(urlPathEqualTo("/oidc/v1/token")).willReturn(okJson(
        "{\"access_token\":\"oauth-token-1\",\"expires_in\":3600}")));
    credentialAnswers("AWS_PRESIGNED_URL", "/s3/t.json?sig=1", "[]");
    workspace.stubFor(put(urlPathMatching("/s3/.*")).willReturn(aResponse().withStatus(200)));
    send(client(new DatabricksOAuth(HttpUrl.get(workspace.baseUrl()), "sp-client-id",
        CLIENT_SECRET, HttpClients.create(false), System::currentTimeMillis)));
    assertEquals("Bearer oauth-token-1", workspace.findAll(postRequestedFor(
        urlPathEqualTo(REGISTER))).get(0).getHeader("Authorization"));

    workspace.stubFor(post(urlPathEqualTo("/oidc/v1/token")).willReturn(aResponse()
        .withStatus(401).withBody("{\"error\":\"invalid_client\","
            + "\"error_description\":\"Client authentication failed\"}")));
    DeliveryException refused = assertThrows(DeliveryException.class, () -> send(client(
        new DatabricksOAuth(HttpUrl.get(workspace.baseUrl()), "sp-client-id", "wrong-SECRET",
            HttpClients.create(false), System::currentTimeMillis))));

    assertTrue(refused.settingsProblem());
    assertTrue(refused.getMessage().contains("DATABRICKS_CLIENT_ID / DATABRICKS_CLIENT_SECRET"),
        refused.getMessage());
    assertTrue(refused.getMessage().contains("invalid_client"), refused.getMessage());
    assertFalse(refused.getMessage().contains("wrong-SECRET"), refused.getMessage());
  }

  @Test
  void aTraceRegisteredBeforeGetsItsSpansWrittenAgain() throws Exception {
    workspace.stubFor(post(urlPathEqualTo(REGISTER)).willReturn(aResponse().withStatus(409)
        .withBody("{\"error_code\":\"RESOURCE_ALREADY_EXISTS\",\"message\":\"exists\"}")));
    credentialAnswers("AWS_PRESIGNED_URL", "/s3/t.json?sig=1", "[]");
    workspace.stubFor(put(urlPathMatching("/s3/.*")).willReturn(aResponse().withStatus(200)));

    send(client(pat()));

    assertEquals(1, workspace.findAll(putRequestedFor(urlPathEqualTo("/s3/t.json"))).size());
  }

  @Test
  void aTokenTheWorkspaceRefusesIsNotUsedAgain() throws Exception {
    workspace.stubFor(post(urlPathEqualTo("/oidc/v1/token")).willReturn(okJson(
        "{\"access_token\":\"oauth-token-1\",\"expires_in\":3600}")));
    workspace.stubFor(get(urlPathEqualTo("/api/2.0/mlflow/experiments/get-by-name"))
        .willReturn(aResponse().withStatus(401).withBody("{\"error_code\":\"UNAUTHENTICATED\"}")));
    MlflowRestClient client = client(new DatabricksOAuth(HttpUrl.get(workspace.baseUrl()),
        "sp-client-id", CLIENT_SECRET, HttpClients.create(false), System::currentTimeMillis));

    DeliveryException refused = assertThrows(DeliveryException.class, () -> send(client));
    assertThrows(DeliveryException.class, () -> send(client));

    assertTrue(refused.getMessage().contains("DATABRICKS_CLIENT_ID / DATABRICKS_CLIENT_SECRET"),
        refused.getMessage());
    assertEquals(2, workspace.findAll(postRequestedFor(urlPathEqualTo("/oidc/v1/token"))).size());
  }
}
