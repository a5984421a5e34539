package org.mlflow.agent.sink;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.agent.config.AgentConfig;
import org.mlflow.agent.export.ExportedSpan;
import org.mlflow.agent.export.ExportedTrace;

class ServerSinkTest {

  private static final String REGISTER = "/api/3.0/mlflow/traces";

  @TempDir
  Path folder;

  private WireMockServer mlflow;

  @BeforeEach
  void start() {
    mlflow = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    mlflow.start();
    mlflow.stubFor(get(urlPathEqualTo("/api/2.0/mlflow/experiments/get"))
        .willReturn(okJson("{\"experiment\":{\"experiment_id\":\"0\","
            + "\"artifact_location\":\"mlflow-artifacts:/0\"}}")));
    mlflow.stubFor(put(urlMatching("/api/2.0/mlflow-artifacts/artifacts/0/traces/.*"))
        .willReturn(okJson("{}")));
    mlflow.stubFor(get(urlPathEqualTo("/health")).willReturn(aResponse().withBody("OK")));
  }

  @AfterEach
  void stop() {
    mlflow.stop();
  }

  private Spool spool() {
    return new Spool(folder.resolve("unsent"), Long.MAX_VALUE);
  }

  private ServerSink sink(Spool spool, long flushTimeoutMillis) {
    MlflowRestClient client = new MlflowRestClient(URI.create(mlflow.baseUrl()), mlflow.baseUrl(),
        "0", null, null);
    return new ServerSink(new MlflowServerDelivery(client, "test", "0"), spool,
        new Spool(folder.resolve("rejected"), Long.MAX_VALUE), 1 << 20, flushTimeoutMillis,
        new Backoff(5, 20), 50, AgentConfig.DEFAULT_SENDER_THREADS);
  }

  /** A one-span chat trace with id {@code id}; the senders' tests use it too. */
  static ExportedTrace trace(long id) {
    ExportedSpan root = new ExportedSpan(1, id, 3, 0, "Completions", 1_000_000_000L,
        2_000_000_000L, ExportedSpan.STATUS_OK, "", Map.of("mlflow.spanType", "CHAT_MODEL"),
        List.of());
    return new ExportedTrace(String.format("tr-%032x", id), "0", 1_000_000_000L, 1_000_000_000L,
        "OK", "q", "a", Map.of(), Map.of("mlflow.traceName", "Completions"), List.of(root));
  }

  @Test
  void aPassingFailureIsRetriedAndTheTraceArrivesOnce() throws Exception {
    mlflow.stubFor(post(urlPathEqualTo(REGISTER)).inScenario("flaky")
        .whenScenarioStateIs(Scenario.STARTED)
        .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1"))
        .willSetStateTo("recovered"));
    mlflow.stubFor(post(urlPathEqualTo(REGISTER)).inScenario("flaky")
        .whenScenarioStateIs("recovered").willReturn(okJson("{}")));
    ServerSink sink = sink(spool(), 10_000);

    sink.export(trace(1));
    waitUntil(() -> sink.counters().get("sent") == 1L);
    sink.close();

    assertEquals(2, mlflow.findAll(postRequestedFor(urlPathEqualTo(REGISTER))).size());
    assertEquals(1L, sink.counters().get("sent"));
    assertEquals(1L, sink.counters().get("retried"));
    assertEquals(0L, sink.counters().get("spooled"));
  }

  @Test
  void aServerThatStaysDownGetsItsTracesFromTheSpoolWhenItReturns() throws Exception {
    mlflow.stubFor(post(urlPathEqualTo(REGISTER)).inScenario("outage")
        .whenScenarioStateIs(Scenario.STARTED).willReturn(aResponse().withStatus(500)));
    mlflow.stubFor(get(urlPathEqualTo("/health")).inScenario("outage")
        .whenScenarioStateIs(Scenario.STARTED).willReturn(aResponse().withStatus(503)));
    Spool spool = spool();
    ServerSink sink = sink(spool, 10_000);

    sink.export(trace(1));
    sink.export(trace(2));
    waitUntil(() -> spool.pending().size() == 2);
    assertEquals(0L, sink.counters().get("sent"));

    mlflow.stubFor(post(urlPathEqualTo(REGISTER)).inScenario("outage")
        .whenScenarioStateIs("up").willReturn(okJson("{}")));
    mlflow.stubFor(get(urlPathEqualTo("/health")).inScenario("outage")
        .whenScenarioStateIs("up").willReturn(aResponse().withBody("OK")));
    mlflow.setScenarioState("outage", "up");
    waitUntil(() -> sink.counters().get("replayed") == 2L);
    sink.close();

    assertTrue(spool.pending().isEmpty());
    // Probed until it answered: once when the probe came after the server was back.
    assertTrue(mlflow.findAll(getRequestedFor(urlPathEqualTo("/health"))).size() >= 1);
  }

  @Test
  void aTraceTheServerRefusesIsKeptAsideAndNotRetried() throws Exception {
    mlflow.stubFor(post(urlPathEqualTo(REGISTER)).willReturn(aResponse().withStatus(400)
        .withBody("{\"error_code\":\"INVALID_PARAMETER_VALUE\"}")));
    ServerSink sink = sink(spool(), 10_000);

    sink.export(trace(7));
    waitUntil(() -> sink.counters().get("rejected") == 1L);
    sink.close();

    assertEquals(1, mlflow.findAll(postRequestedFor(urlPathEqualTo(REGISTER))).size());
    assertEquals(1L, sink.counters().get("rejected"));
    assertEquals(1, new Spool(folder.resolve("rejected"), Long.MAX_VALUE).pending().size());
  }

  @Test
  void exitNeverWaitsForAServerThatDoesNotAnswerAndNothingIsLost() {
    mlflow.stubFor(post(urlPathEqualTo(REGISTER))
        .willReturn(okJson("{}").withFixedDelay(20_000)));
    Spool spool = spool();
    ServerSink sink = sink(spool, 500);
    for (int i = 1; i <= 3; i++) {
      sink.export(trace(i));
    }

    // A guard against a hang, not a performance claim: the HTTP call alone would take 20 s.
    assertTimeoutPreemptively(Duration.ofSeconds(10), sink::close);

    assertEquals(3, spool.pending().size(), "queued and in-flight traces are spooled");
  }

  @Test
  void aServerThatAskedToWaitIsNotProbedBeforeItsRetryAfter() throws Exception {
    mlflow.stubFor(post(urlPathEqualTo(REGISTER))
        .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")));
    MlflowRestClient client = new MlflowRestClient(URI.create(mlflow.baseUrl()), mlflow.baseUrl(),
        "0", null, null);
    Spool spool = spool();
    ServerSink sink = new ServerSink(new MlflowServerDelivery(client, "test", "0"), spool,
        new Spool(folder.resolve("rejected"), Long.MAX_VALUE), 1 << 20, 10_000,
        new Backoff(5, 5_000), 50, AgentConfig.DEFAULT_SENDER_THREADS);

    sink.export(trace(1));
    waitUntil(() -> !mlflow.findAll(getRequestedFor(urlPathEqualTo("/health"))).isEmpty());
    sink.close();

    List<com.github.tomakehurst.wiremock.stubbing.ServeEvent> served =
        new java.util.ArrayList<>(mlflow.getAllServeEvents());
    served.sort(java.util.Comparator.comparing(event -> event.getRequest().getLoggedDate()));
    long firstProbe = served.stream()
        .filter(event -> event.getRequest().getUrl().equals("/health"))
        .mapToLong(event -> event.getRequest().getLoggedDate().getTime()).min().orElseThrow();
    long lastRefusal = served.stream()
        .filter(event -> event.getRequest().getUrl().equals(REGISTER))
        .mapToLong(event -> event.getRequest().getLoggedDate().getTime())
        .filter(time -> time <= firstProbe).max().orElseThrow();
    // A lower bound only (a slow machine makes the wait longer, never shorter).
    assertTrue(firstProbe - lastRefusal >= 900, (firstProbe - lastRefusal) + " ms");
  }

  @Test
  void atExitAFailingServerGetsNoRequestPerQueuedTraceTheyGoToTheSpool() throws Exception {
    mlflow.stubFor(post(urlPathEqualTo(REGISTER))
        .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "0")));
    Spool spool = spool();
    ServerSink sink = sink(spool, 10_000);
    int queued = 3 * ServerSink.MAX_ATTEMPTS;
    for (int i = 1; i <= queued; i++) {
      sink.export(trace(i));
    }

    sink.close();

    // The first trace's tries, not one more for each trace queued behind it.
    int requests = mlflow.findAll(postRequestedFor(urlPathEqualTo(REGISTER))).size();
    assertTrue(requests <= ServerSink.MAX_ATTEMPTS, requests + " requests");
    assertEquals(queued, spool.pending().size());
    assertEquals(0L, sink.counters().get("lost"));
  }

  @Test
  void aCloseBegunLateInTheExitStillSpoolsBeforeTheExitDeadline() {
    mlflow.stubFor(post(urlPathEqualTo(REGISTER))
        .willReturn(okJson("{}").withFixedDelay(20_000)));
    Spool spool = spool();
    // Alone, close() would wait 3/5 of the 10 s flush timeout (6 s) for the server; the exit's
    // deadline, 3 s away as when the exporter was slow to drain, comes first.
    ServerSink sink = sink(spool, 10_000);
    for (int i = 1; i <= 3; i++) {
      sink.export(trace(i));
    }
    sink.exitBy(System.currentTimeMillis() + 3_000);

    // The bound is the contract (done by the exit deadline, the JVM then ends), with room for a
    // slow machine: spooling 3 small files takes milliseconds.
    assertTimeoutPreemptively(Duration.ofMillis(5_500), sink::close);

    assertEquals(3, spool.pending().size(), "queued and in-flight traces are spooled");
  }

  @Test
  void tracesLeftByAnEarlierRunAreSentAtStart() throws Exception {
    mlflow.stubFor(post(urlPathEqualTo(REGISTER)).willReturn(okJson("{}")));
    Spool spool = spool();
    spool.store("tr-00000000000000000000000000000009", Map.of("trace_id",
        "tr-00000000000000000000000000000009", "execution_duration_ms", 5),
        "{\"spans\":[]}".getBytes());

    ServerSink sink = sink(spool, 10_000);
    waitUntil(() -> sink.counters().get("replayed") == 1L);
    sink.close();

    assertTrue(spool.pending().isEmpty());
  }

  private static void waitUntil(java.util.function.BooleanSupplier condition) throws Exception {
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
      while (!condition.getAsBoolean()) {
        Thread.sleep(20);
      }
    });
  }
}
