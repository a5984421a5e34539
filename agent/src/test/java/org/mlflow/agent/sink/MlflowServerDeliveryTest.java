package org.mlflow.agent.sink;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.export.ExportedSpan;
import org.mlflow.agent.export.ExportedTrace;
import org.mlflow.agent.export.JsonCodec;
import org.mlflow.agent.export.MlflowJson;

/** Which way into an MLflow server a trace takes, and that the choice is remembered. */
class MlflowServerDeliveryTest {

  private static final String OTLP = "/v1/traces";
  private static final String START_TRACE = "/api/3.0/mlflow/traces";
  private static final String UPLOAD = "/api/2.0/mlflow-artifacts/artifacts/7/traces/.*";

  private WireMockServer mlflow;
  private MlflowServerDelivery delivery;

  @BeforeEach
  void start() {
    mlflow = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    mlflow.start();
    mlflow.stubFor(get(urlPathEqualTo("/api/2.0/mlflow/experiments/get"))
        .willReturn(okJson("{\"experiment\":{\"experiment_id\":\"7\","
            + "\"artifact_location\":\"mlflow-artifacts:/7\"}}")));
    mlflow.stubFor(put(urlMatching(UPLOAD)).willReturn(okJson("{}")));
    mlflow.stubFor(post(urlPathEqualTo(START_TRACE)).willReturn(okJson("{}")));
    MlflowRestClient client = new MlflowRestClient(URI.create(mlflow.baseUrl()),
        mlflow.baseUrl(), "7", null, "Bearer secret-token");
    delivery = new MlflowServerDelivery(client, "svc", "0.1");
  }

  @AfterEach
  void stop() {
    delivery.close();
    mlflow.stop();
  }

  private void serverVersion(String version) {
    mlflow.stubFor(get(urlPathEqualTo("/version")).willReturn(aResponse().withBody(version)));
  }

  private void otlpAnswers(int status, String body) {
    mlflow.stubFor(post(urlPathEqualTo(OTLP))
        .willReturn(aResponse().withStatus(status).withBody(body)));
  }

  private void send(long id) throws Exception {
    ExportedSpan root = new ExportedSpan(1, id, 3, 0, "Completions", 1_000_000_000L,
        2_000_000_000L, ExportedSpan.STATUS_OK, "", Map.of("mlflow.spanType", "CHAT_MODEL"),
        List.of());
    ExportedTrace trace = new ExportedTrace(String.format("tr-%032x", id), "7", 1_000_000_000L,
        1_000_000_000L, "OK", "q", "a", Map.of("mlflow.trace.tokenUsage", "{}"),
        Map.of("mlflow.traceName", "Completions"), List.of(root));
    delivery.send(trace.traceId(), MlflowJson.traceFileInfo(trace),
        JsonCodec.mapper().writeValueAsBytes(MlflowJson.spansDocument(trace.spans())));
  }

  private int count(String method, String path) {
    return mlflow.findAll("POST".equals(method)
        ? postRequestedFor(urlPathEqualTo(path))
        : putRequestedFor(urlMatching(path))).size();
  }

  @Test
  void aServerThatTakesOtlpGetsTheSpansThereThenTheTraceInfo() throws Exception {
    serverVersion("3.17.2");
    otlpAnswers(200, "");

    send(1);

    List<LoggedRequest> requests = mlflow.getAllServeEvents().stream()
        .map(event -> event.getRequest()).filter(r -> !r.getUrl().startsWith("/api/2.0/mlflow/exp"))
        .collect(java.util.stream.Collectors.toList());
    java.util.Collections.reverse(requests); // WireMock lists the newest first
    assertEquals(List.of("/version", OTLP, START_TRACE),
        requests.stream().map(LoggedRequest::getUrl).collect(java.util.stream.Collectors.toList()),
        "spans first, trace info last; no traces.json upload");
    LoggedRequest spans = requests.get(1);
    assertEquals("7", spans.getHeader("x-mlflow-experiment-id"));
    assertEquals("gzip", spans.getHeader("Content-Encoding"));
    assertEquals("application/x-protobuf", spans.getHeader("Content-Type"));
    assertEquals("Bearer secret-token", spans.getHeader("Authorization"));
    // WireMock logs a gzip body un-gzipped; the Content-Encoding header shows what was sent.
    ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(spans.getBody());
    assertEquals("Completions",
        request.getResourceSpans(0).getScopeSpans(0).getSpans(0).getName());
    JsonNode info = JsonCodec.mapper().readTree(requests.get(2).getBody())
        .path("trace").path("trace_info");
    assertEquals("tr-00000000000000000000000000000001", info.path("trace_id").asText());
    assertEquals("q", info.path("request_preview").asText());
    assertEquals("Completions", info.path("tags").path("mlflow.traceName").asText());
    assertEquals("7", info.at("/trace_location/mlflow_experiment/experiment_id").asText());

    send(2);
    assertEquals(1, mlflow.findAll(getRequestedFor(urlPathEqualTo("/version"))).size(),
        "the version is asked once");
    assertEquals(2, count("POST", OTLP));
  }

  @Test
  void aFileStoreAnswering501GetsThatTraceAndAllLaterOnesTheRestWay() throws Exception {
    serverVersion("3.17.2");
    otlpAnswers(501, "{\"detail\":\"REST OTLP span logging is not supported by FileStore\"}");

    send(1);
    assertEquals(1, count("POST", OTLP));
    assertEquals(1, count("PUT", UPLOAD), "the same trace, uploaded the REST way");
    assertEquals(1, count("POST", START_TRACE));

    send(2);
    assertEquals(1, count("POST", OTLP), "OTLP is not tried again");
    assertEquals(2, count("PUT", UPLOAD));
    assertEquals(2, count("POST", START_TRACE));
  }

  @Test
  void aServerWithoutTheOtlpRouteAnswering404GetsTheRestWayForGood() throws Exception {
    serverVersion("3.17.2");
    otlpAnswers(404, "{\"detail\":\"Not Found\"}");

    send(1);
    send(2);

    assertEquals(1, count("POST", OTLP));
    assertEquals(2, count("PUT", UPLOAD));
    assertEquals(2, count("POST", START_TRACE));
  }

  @Test
  void aServerOlderThanOtlpIsNeverSentOtlp() throws Exception {
    serverVersion("3.3.2");
    otlpAnswers(200, "");

    send(1);

    assertEquals(0, count("POST", OTLP));
    assertEquals(1, count("PUT", UPLOAD));
    assertEquals(1, count("POST", START_TRACE));
  }

  @Test
  void aServerThatDoesNotSayItsVersionGetsTheRestWay() throws Exception {
    otlpAnswers(200, "");

    send(1);

    assertEquals(0, count("POST", OTLP));
    assertEquals(1, count("PUT", UPLOAD));
  }

  @Test
  void serversBefore37GetAnUncompressedBody() throws Exception {
    serverVersion("3.6.0");
    otlpAnswers(200, "");

    send(1);

    List<LoggedRequest> spans = mlflow.findAll(postRequestedFor(urlPathEqualTo(OTLP))
        .withHeader("Content-Encoding", absent()));
    assertEquals(1, spans.size());
    ExportTraceServiceRequest.parseFrom(spans.get(0).getBody());
  }

  @Test
  void anMlflowRefusalOfTheTraceIsNoReasonToLeaveOtlp() throws Exception {
    serverVersion("3.17.2");
    otlpAnswers(404, "{\"error_code\": \"RESOURCE_DOES_NOT_EXIST\", \"message\": \"No"
        + " Experiment with id=7 exists\"}");

    DeliveryException refused = assertThrows(DeliveryException.class, () -> send(1));

    assertFalse(refused.retryable());
    assertEquals(0, count("PUT", UPLOAD));
    assertEquals(0, count("POST", START_TRACE), "nothing is listed");
  }

  @Test
  void aServerDownWhenAskedForItsVersionIsAskedAgainLater() throws Exception {
    mlflow.stubFor(get(urlPathEqualTo("/version")).willReturn(aResponse().withStatus(503)));

    DeliveryException down = assertThrows(DeliveryException.class, () -> send(1));
    assertTrue(down.retryable());

    serverVersion("3.17.2");
    otlpAnswers(200, "");
    send(1);
    assertEquals(1, count("POST", OTLP));
    assertEquals(0, count("PUT", UPLOAD));
    mlflow.verify(postRequestedFor(urlPathEqualTo(START_TRACE))
        .withHeader("Authorization", equalTo("Bearer secret-token")));
  }

  @Test
  void aServerTooBusyToSayItsVersionIsAskedAgainLaterAndStillGetsOtlp() throws Exception {
    mlflow.stubFor(get(urlPathEqualTo("/version"))
        .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")));

    DeliveryException busy = assertThrows(DeliveryException.class, () -> send(1));
    assertTrue(busy.retryable());
    assertEquals(1000, busy.retryAfterMillis());

    serverVersion("3.17.2");
    otlpAnswers(200, "");
    send(1);
    assertEquals(1, count("POST", OTLP));
    assertEquals(0, count("PUT", UPLOAD), "not the REST way for good");
  }

  @Test
  void aServerWithoutVersionGetsTheRestWay() throws Exception {
    mlflow.stubFor(get(urlPathEqualTo("/version")).willReturn(aResponse().withStatus(404)));

    send(1);

    assertEquals(0, count("POST", OTLP));
    assertEquals(1, count("PUT", UPLOAD));
  }

  @Test
  void versionsCompareByMajorAndMinor() {
    assertEquals(ServerCapabilities.Way.REST, ServerCapabilities.wayFor("2.22.1"));
    assertEquals(ServerCapabilities.Way.REST, ServerCapabilities.wayFor("3.3.2"));
    assertEquals(ServerCapabilities.Way.OTLP, ServerCapabilities.wayFor("3.4.0rc0"));
    assertEquals(ServerCapabilities.Way.OTLP, ServerCapabilities.wayFor("3.6.0"));
    assertEquals(ServerCapabilities.Way.OTLP_GZIP, ServerCapabilities.wayFor("3.7.0"));
    assertEquals(ServerCapabilities.Way.OTLP_GZIP, ServerCapabilities.wayFor("3.18.0.dev0"));
    assertEquals(ServerCapabilities.Way.OTLP_GZIP, ServerCapabilities.wayFor("4.0.0"));
    assertEquals(ServerCapabilities.Way.REST, ServerCapabilities.wayFor("<html>"));
  }
}
