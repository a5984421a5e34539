package org.mlflow.agent.it.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.it.support.ForkedApp;
import org.mlflow.agent.it.support.ForkedApp.Result;

/** The agent's counters as a JMX client inside the app reads them. */
class JmxCountersIT {

  @Test
  void theAppReadsExportedAndRetriedTracesFromItsPlatformMbeanServer() throws Exception {
    WireMockServer mlflow = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    mlflow.start();
    try (OpenAiFake openai = new OpenAiFake()) {
      mlflow.stubFor(get(urlPathEqualTo("/api/2.0/mlflow/experiments/get"))
          .willReturn(okJson("{\"experiment\":{\"experiment_id\":\"0\","
              + "\"artifact_location\":\"mlflow-artifacts:/0\"}}")));
      mlflow.stubFor(put(urlMatching("/api/2.0/mlflow-artifacts/artifacts/0/traces/.*"))
          .willReturn(okJson("{}")));
      // The first StartTraceV3 meets a restarting server: one retry.
      mlflow.stubFor(post(urlPathEqualTo("/api/3.0/mlflow/traces")).inScenario("restart")
          .whenScenarioStateIs(Scenario.STARTED).willReturn(aResponse().withStatus(503))
          .willSetStateTo("up"));
      mlflow.stubFor(post(urlPathEqualTo("/api/3.0/mlflow/traces")).inScenario("restart")
          .whenScenarioStateIs("up").willReturn(okJson("{}")));

      Result run = ForkedApp.of(JmxCountersApp.class).args(openai.baseUrl())
          .env("MLFLOW_TRACKING_URI", "http://127.0.0.1:" + mlflow.port())
          .env("MLFLOW_AGENT_FLUSH_TIMEOUT_SECONDS", "60")
          .run().assertCleanRun();

      List<String> counters = run.stdout().lines()
          .filter(line -> line.matches("[A-Za-z]+=.*|DroppedByReason.*"))
          .collect(Collectors.toList());
      assertEquals(List.of("TracesCompleted=3", "TracesExported=3", "TracesRetried=1",
          "TracesSpooled=0", "QueueDepth=0", "TracesTimedOut=0", "DroppedByReason rows=0"),
          counters, run.stdout() + run.stderr());
    } finally {
      mlflow.stop();
    }
  }
}
