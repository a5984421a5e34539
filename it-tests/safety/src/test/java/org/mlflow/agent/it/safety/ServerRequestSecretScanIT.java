package org.mlflow.agent.it.safety;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.example.vault.VaultClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.it.support.ForkedApp;
import org.mlflow.agent.it.support.ForkedApp.Result;
import org.mlflow.agent.it.support.SecretScan;
import org.mlflow.agent.it.support.TestSecrets;
import org.mlflow.agent.it.support.TraceFiles;

/**
 * Every request the agent sends off the JVM, scanned for every credential it can see. The app
 * runs with all of {@link TestSecrets} set (provider API keys, the MLflow token and password, the
 * Databricks token and client secret, an OTLP header) and sends its provider an Authorization
 * header, while its errors quote the key ({@link CredentialEchoApp}); the traces go to WireMock
 * models of an MLflow server (the OTLP way and the REST way), an OTLP collector, Databricks (token
 * and OAuth) and the cloud storage Databricks signs URLs for. Each request those received is
 * scanned: its URL and query, every header but the one credential header that server needs
 * (whose value must be exactly that server's credential), and its body, as sent and gunzipped,
 * as bytes (so protobuf too). The app's output and every file it left are scanned as in every
 * forked run ({@link Result#assertCleanRun}).
 */
class ServerRequestSecretScanIT {

  private static final String EXPERIMENT = "{\"experiment\":{\"experiment_id\":\"7\","
      + "\"name\":\"/Shared/agent\",\"artifact_location\":\"mlflow-artifacts:/7\"}}";
  private static final String DATABRICKS_CLIENT_ID = "agent-sp-client-id";
  /** What the Databricks fake trades the client secret for; a credential like the others. */
  private static final String OAUTH_ACCESS_TOKEN = "oauth-access-SECRET-token-0123";
  private static final String USERNAME = "alice";

  /** Every credential, also as Basic authentication encodes it. */
  private static final List<String> SECRETS = secrets();

  private WireMockServer provider;
  private WireMockServer mlflow;
  private WireMockServer collector;
  private WireMockServer databricks;
  private WireMockServer storage;

  private static List<String> secrets() {
    List<String> secrets = new ArrayList<>(TestSecrets.ALL);
    secrets.add(OAUTH_ACCESS_TOKEN);
    secrets.add(basic(USERNAME, TestSecrets.MLFLOW_PASSWORD).substring("Basic ".length()));
    secrets.add(basic(DATABRICKS_CLIENT_ID, TestSecrets.DATABRICKS_CLIENT_SECRET)
        .substring("Basic ".length()));
    return secrets;
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
        .getBytes(StandardCharsets.UTF_8));
  }

  private static WireMockServer started(boolean templating) {
    WireMockServer server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort()
        .templatingEnabled(templating));
    server.start();
    return server;
  }

  @BeforeEach
  void startFakes() {
    provider = started(false);
    provider.stubFor(post(urlPathEqualTo("/v1/chat/completions"))
        .willReturn(okJson(CannedHttpClient.COMPLETION)));
    provider.stubFor(post(urlPathEqualTo("/v1/chat/completions"))
        .withRequestBody(containing(CredentialEchoApp.REFUSED_QUESTION))
        .willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
            .withBody("{\"error\":{\"message\":\"Incorrect API key provided: "
                + TestSecrets.OPENAI_API_KEY + ". You can find your API key at"
                + " https://platform.openai.com/account/api-keys.\",\"type\":"
                + "\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}")));

    mlflow = started(false);
    mlflow.stubFor(any(anyUrl()).willReturn(okJson("{}")));
    mlflow.stubFor(get(urlPathEqualTo("/api/2.0/mlflow/experiments/get"))
        .willReturn(okJson(EXPERIMENT)));

    collector = started(false);
    collector.stubFor(post(urlPathEqualTo("/v1/traces")).willReturn(aResponse().withStatus(200)));

    storage = started(false);
    storage.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));

    databricks = started(true);
    databricks.stubFor(any(anyUrl()).willReturn(okJson("{}")));
    databricks.stubFor(get(urlPathEqualTo("/api/2.0/mlflow/experiments/get-by-name"))
        .willReturn(okJson(EXPERIMENT)));
    databricks.stubFor(get(urlPathMatching("/api/2.0/mlflow/traces/.*/credentials-for-data-upload"))
        .willReturn(okJson("{\"credential_info\":{\"signed_uri\":\"" + storage.baseUrl()
            + "/bucket/{{request.pathSegments.[4]}}/traces.json?X-Amz-Signature=signed\","
            + "\"type\":\"AWS_PRESIGNED_URL\",\"headers\":[]}}")
            .withTransformers("response-template")));
    databricks.stubFor(post(urlPathEqualTo("/oidc/v1/token"))
        .willReturn(okJson("{\"access_token\":\"" + OAUTH_ACCESS_TOKEN + "\","
            + "\"token_type\":\"Bearer\",\"expires_in\":3600}")));
  }

  @AfterEach
  void stopFakes() {
    for (WireMockServer server : List.of(provider, mlflow, collector, databricks, storage)) {
      server.stop();
    }
  }

  /** The app with every credential it and the agent can see set, sending to nowhere yet. */
  private ForkedApp appWithEveryCredential() {
    return ForkedApp.of(CredentialEchoApp.class).args(provider.baseUrl() + "/v1")
        .env("MLFLOW_AGENT_FLUSH_TIMEOUT_SECONDS", "60")
        .env("MLFLOW_AGENT_TRACE_METHODS", VaultClient.class.getName() + "#connect")
        .env("OPENAI_API_KEY", TestSecrets.OPENAI_API_KEY)
        .env("ANTHROPIC_API_KEY", TestSecrets.ANTHROPIC_API_KEY)
        .env("GEMINI_API_KEY", TestSecrets.GEMINI_API_KEY)
        .env("AZURE_OPENAI_KEY", TestSecrets.AZURE_API_KEY)
        .env("AWS_ACCESS_KEY_ID", "AKIATESTACCESSKEYID")
        .env("AWS_SECRET_ACCESS_KEY", TestSecrets.AWS_SECRET_ACCESS_KEY)
        .env("MLFLOW_TRACKING_TOKEN", TestSecrets.MLFLOW_TOKEN)
        .env("DATABRICKS_TOKEN", TestSecrets.DATABRICKS_TOKEN)
        .env("DATABRICKS_CLIENT_ID", DATABRICKS_CLIENT_ID)
        .env("DATABRICKS_CLIENT_SECRET", TestSecrets.DATABRICKS_CLIENT_SECRET)
        .env("OTEL_EXPORTER_OTLP_TRACES_HEADERS", "x-api-key=" + TestSecrets.OTLP_HEADER_VALUE);
  }

  /** The app saw its exceptions as they were: each still quotes the credential. */
  private static Result assertAppSawItsErrorsUnchanged(Result run) {
    assertTrue(run.stdout().contains("answer: ok"), run.stdout() + run.stderr());
    assertTrue(run.stdout().contains("refused: com.openai.errors.UnauthorizedException, message"
        + " quotes the key: true"), run.stdout());
    assertTrue(run.stdout().contains("own error quotes the key and token: true"), run.stdout());
    return run;
  }

  @Test
  void anMlflowServerTakingOtlpGetsNoSecretButItsToken() throws Exception {
    mlflow.stubFor(get(urlPathEqualTo("/version")).willReturn(aResponse().withBody("3.17.2")));
    Result run = assertAppSawItsErrorsUnchanged(appWithEveryCredential()
        .env("MLFLOW_TRACKING_URI", mlflow.baseUrl())
        .env("MLFLOW_EXPERIMENT_ID", "7")
        .run().assertCleanRun());

    assertEquals(3, mlflow.findAll(postRequestedFor(urlPathEqualTo("/api/3.0/mlflow/traces")))
        .size(), run.stderr());
    assertTrue(mlflow.findAll(postRequestedFor(urlPathEqualTo("/v1/traces"))).size() > 0);
    assertNoSecretIn("the MLflow server", mlflow,
        request -> Map.of("Authorization", "Bearer " + TestSecrets.MLFLOW_TOKEN));
  }

  @Test
  void anMlflowServerTheRestWayAndACollectorGetNoSecretButTheirOwnCredential() throws Exception {
    mlflow.stubFor(get(urlPathEqualTo("/version")).willReturn(aResponse().withBody("3.3.0")));
    Result run = assertAppSawItsErrorsUnchanged(appWithEveryCredential()
        .env("MLFLOW_TRACKING_TOKEN", "") // basic authentication instead
        .env("MLFLOW_TRACKING_USERNAME", USERNAME)
        .env("MLFLOW_TRACKING_PASSWORD", TestSecrets.MLFLOW_PASSWORD)
        .env("MLFLOW_TRACKING_URI", mlflow.baseUrl())
        .env("MLFLOW_EXPERIMENT_ID", "7")
        .env("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", collector.baseUrl() + "/v1/traces")
        .env("MLFLOW_TRACE_ENABLE_OTLP_DUAL_EXPORT", "true")
        .run().assertCleanRun());

    assertEquals(3, mlflow.findAll(postRequestedFor(urlPathEqualTo("/api/3.0/mlflow/traces")))
        .size(), run.stderr());
    assertTrue(mlflow.findAll(postRequestedFor(urlPathEqualTo("/v1/traces"))).isEmpty(),
        "the REST way");
    assertTrue(collector.findAll(postRequestedFor(urlPathEqualTo("/v1/traces"))).size() > 0,
        run.stderr());
    assertNoSecretIn("the MLflow server", mlflow,
        request -> Map.of("Authorization", basic(USERNAME, TestSecrets.MLFLOW_PASSWORD)));
    assertNoSecretIn("the OTLP collector", collector,
        request -> Map.of("x-api-key", TestSecrets.OTLP_HEADER_VALUE));
  }

  @Test
  void databricksWithATokenAndItsStorageGetNoSecretButTheToken() throws Exception {
    Result run = assertAppSawItsErrorsUnchanged(runOnDatabricks(appWithEveryCredential()));

    assertEquals(3, storage.getAllServeEvents().size(), run.stderr());
    assertNoSecretIn("Databricks", databricks,
        request -> Map.of("Authorization", "Bearer " + TestSecrets.DATABRICKS_TOKEN));
    assertNoSecretIn("the cloud storage", storage, request -> Map.of());
  }

  @Test
  void databricksWithOAuthGetsTheClientSecretOnlyWhereItIsTradedForAToken() throws Exception {
    Result run = assertAppSawItsErrorsUnchanged(
        runOnDatabricks(appWithEveryCredential().env("DATABRICKS_TOKEN", "")));

    assertEquals(3, storage.getAllServeEvents().size(), run.stderr());
    assertTrue(databricks.findAll(postRequestedFor(urlPathEqualTo("/oidc/v1/token"))).size() > 0);
    assertNoSecretIn("Databricks", databricks, request -> Map.of("Authorization",
        request.getUrl().startsWith("/oidc/v1/token")
            ? basic(DATABRICKS_CLIENT_ID, TestSecrets.DATABRICKS_CLIENT_SECRET)
            : "Bearer " + OAUTH_ACCESS_TOKEN));
    assertNoSecretIn("the cloud storage", storage, request -> Map.of());
  }

  private Result runOnDatabricks(ForkedApp app) throws Exception {
    Result run = app.env("MLFLOW_TRACKING_URI", "databricks")
        .env("DATABRICKS_HOST", databricks.baseUrl())
        .env("MLFLOW_EXPERIMENT_NAME", "/Shared/agent")
        .run().assertCleanRun();
    assertEquals(3, databricks.findAll(postRequestedFor(urlPathEqualTo("/api/3.0/mlflow/traces")))
        .size(), run.stderr());
    return run;
  }

  @Test
  void anErrorQuotingACredentialIsRedactedInTheSpanAsTheUsersPatternsAre() throws Exception {
    Result with = assertAppSawItsErrorsUnchanged(appWithEveryCredential()
        .env("MLFLOW_AGENT_REDACT_PATTERNS", "vault")
        .run().assertCleanRun());
    Result without = appWithEveryCredential().withoutAgent().run();
    assertEquals(without.stdout(), with.stdout());

    List<JsonNode> traces = TraceFiles.read(with.workingDir().resolve("mlflow-traces"));
    assertEquals(3, traces.size(), with.stderr());
    JsonNode refused = traces.get(1).at("/data/spans/0");
    assertEquals("STATUS_CODE_ERROR", refused.at("/status/code").asText());
    assertTrue(refused.at("/status/message").asText().contains(
        "Incorrect API key provided: [REDACTED]. You can find"), refused.toString());
    assertTrue(refused.at("/events/0/attributes/exception.message").asText()
        .contains("Incorrect API key provided: [REDACTED]."), refused.toString());
    assertTrue(refused.at("/events/0/attributes/exception.stacktrace").asText()
        .contains("Incorrect API key provided: [REDACTED]."), refused.toString());
    JsonNode connect = traces.get(2).at("/data/spans/0");
    String message = "cannot reach the [REDACTED] with key [REDACTED] and token [REDACTED]";
    assertEquals("java.lang.IllegalStateException: " + message,
        connect.at("/status/message").asText());
    assertEquals(message, connect.at("/events/0/attributes/exception.message").asText());
    assertTrue(connect.at("/events/0/attributes/exception.stacktrace").asText()
        .startsWith("java.lang.IllegalStateException: " + message), connect.toString());
  }

  @Test
  void theRequestScanFindsASecretInAHeaderTheBodyGzippedOrTheQuery() {
    WireMockServer server = started(false);
    try {
      server.stubFor(any(anyUrl()).willReturn(okJson("{}")));
      Function<LoggedRequest, Map<String, String>> bearer =
          request -> Map.of("Authorization", "Bearer " + TestSecrets.MLFLOW_TOKEN);
      send(server, "/ok", Map.of("Authorization", "Bearer " + TestSecrets.MLFLOW_TOKEN),
          new byte[0]);
      assertNoSecretIn("a server", server, bearer);

      send(server, "/x", Map.of("X-Debug", TestSecrets.MLFLOW_TOKEN), new byte[0]);
      assertThrows(AssertionError.class, () -> assertNoSecretIn("a server", server, bearer));
      server.resetRequests();
      send(server, "/x", Map.of("Authorization", "Bearer " + TestSecrets.DATABRICKS_TOKEN),
          new byte[0]);
      assertThrows(AssertionError.class, () -> assertNoSecretIn("a server", server, bearer));
      server.resetRequests();
      send(server, "/x?key=" + TestSecrets.OPENAI_API_KEY, Map.of(), new byte[0]);
      assertThrows(AssertionError.class, () -> assertNoSecretIn("a server", server, bearer));
      server.resetRequests();
      send(server, "/x", Map.of("Content-Encoding", "gzip"),
          gzip(("\n\u0012" + TestSecrets.AWS_SECRET_ACCESS_KEY).getBytes(StandardCharsets.UTF_8)));
      assertThrows(AssertionError.class, () -> assertNoSecretIn("a server", server, bearer));
    } finally {
      server.stop();
    }
  }

  /**
   * @param credentialHeader the header (name and exact value) the server legitimately gets on
   *     that request, if any
   */
  private static void assertNoSecretIn(String serverName, WireMockServer server,
      Function<LoggedRequest, Map<String, String>> credentialHeader) {
    List<ServeEvent> events = server.getAllServeEvents();
    assertTrue(!events.isEmpty(), serverName + " received requests to scan");
    for (ServeEvent event : events) {
      LoggedRequest request = event.getRequest();
      String where = serverName + ": " + request.getMethod() + " " + request.getUrl();
      SecretScan.assertAbsent(SECRETS, where + ", its URL", request.getAbsoluteUrl());
      Map<String, String> allowed = credentialHeader.apply(request);
      for (HttpHeader header : request.getHeaders().all()) {
        String credential = allowed.entrySet().stream()
            .filter(entry -> entry.getKey().equalsIgnoreCase(header.key()))
            .map(Map.Entry::getValue).findFirst().orElse(null);
        if (credential != null) {
          assertEquals(List.of(credential), header.values(),
              where + ": header " + header.key() + " holds another value than its credential");
        } else {
          SecretScan.assertAbsent(SECRETS, where + ", header " + header.key(),
              header.key() + ": " + String.join(", ", header.values()));
        }
      }
      byte[] body = request.getBody();
      SecretScan.assertAbsent(SECRETS, where + ", its body", latin1(body));
      if (isGzip(body)) {
        SecretScan.assertAbsent(SECRETS, where + ", its gunzipped body", latin1(gunzip(body)));
      }
    }
  }

  /** ISO-8859-1 maps each byte to one char: a secret's bytes are found in any encoding. */
  private static String latin1(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  private static boolean isGzip(byte[] body) {
    return body.length > 2 && (body[0] & 0xff) == 0x1f && (body[1] & 0xff) == 0x8b;
  }

  private static byte[] gunzip(byte[] body) {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
      return in.readAllBytes();
    } catch (IOException notGzip) {
      throw new UncheckedIOException(notGzip);
    }
  }

  private static byte[] gzip(byte[] bytes) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream zip = new java.util.zip.GZIPOutputStream(out)) {
      zip.write(bytes);
    } catch (IOException cannot) {
      throw new UncheckedIOException(cannot);
    }
    return out.toByteArray();
  }

  private static void send(WireMockServer server, String path, Map<String, String> headers,
      byte[] body) {
    try {
      java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(
          java.net.URI.create(server.baseUrl() + path))
          .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body));
      headers.forEach(request::header);
      java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1)
          .build().send(request.build(),
          java.net.http.HttpResponse.BodyHandlers.discarding());
    } catch (IOException | InterruptedException failed) {
      fail(failed);
    }
  }
}
