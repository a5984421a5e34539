package org.mlflow.agent.it.openai;

import org.mlflow.agent.it.support.TestSecrets;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mlflow.agent.it.support.TraceFiles.parseJson;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.it.support.ForkedApp;
import org.mlflow.agent.it.support.ForkedApp.Result;
import org.mlflow.agent.it.support.TraceFiles;

/** The exact requests the agent sends to an MLflow tracking server, against a WireMock MLflow. */
class MlflowRestExportIT {

  private static final String TOKEN = TestSecrets.MLFLOW_TOKEN;

  private OpenAiFake openai;
  private WireMockServer mlflow;

  @BeforeEach
  void start() {
    openai = new OpenAiFake();
    mlflow = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    mlflow.start();
    mlflow.stubFor(get(urlPathEqualTo("/api/2.0/mlflow/experiments/get"))
        .willReturn(okJson("{\"experiment\":{\"experiment_id\":\"7\",\"name\":\"demo\","
            + "\"artifact_location\":\"mlflow-artifacts:/7\"}}")));
    mlflow.stubFor(put(urlMatching("/api/2.0/mlflow-artifacts/artifacts/7/traces/tr-[0-9a-f]{32}/artifacts/traces.json"))
        .willReturn(okJson("{}")));
    // Like the real server: the reply is the trace info it stored, with the artifact location.
    mlflow.stubFor(post(urlPathEqualTo("/api/3.0/mlflow/traces"))
        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
            .withBody("{{{request.body}}}").withTransformers("response-template")));
  }

  @AfterEach
  void stop() {
    openai.close();
    mlflow.stop();
  }

  @Test
  void spansAreUploadedBeforeTheTraceIsRegisteredSoNoTraceIsHalfWritten() throws Exception {
    Result run = ForkedApp.of(OpenAiChatApp.class).args(openai.baseUrl())
        .env("MLFLOW_TRACKING_URI", mlflow.baseUrl())
        .env("MLFLOW_EXPERIMENT_ID", "7")
        .env("MLFLOW_TRACKING_TOKEN", TOKEN)
        .run().assertCleanRun();

    // The journal lists the newest first; reversed, ties in time keep the order of arrival.
    List<LoggedRequest> requests = mlflow.getAllServeEvents().stream()
        .map(event -> event.getRequest())
        .collect(Collectors.toCollection(ArrayList::new));
    Collections.reverse(requests);
    requests.sort(Comparator.comparing(LoggedRequest::getLoggedDate));
    List<String> calls = requests.stream().map(MlflowRestExportIT::call)
        .collect(Collectors.toList());
    String upload = "PUT /api/2.0/mlflow-artifacts/artifacts/7/traces/{id}/artifacts/traces.json";
    String register = "POST /api/3.0/mlflow/traces";
    // A server that does not say its version (404 here) is sent traces the REST way.
    assertEquals(List.of("GET /version", "GET /api/2.0/mlflow/experiments/get?experiment_id=7"),
        calls.subList(0, 2), run.stderr());
    for (LoggedRequest request : requests) {
      assertEquals("Bearer " + TOKEN, request.getHeader("Authorization"));
    }
    // Several senders send traces at once: per trace, its spans go up before it is registered.
    Map<String, List<LoggedRequest>> byTrace = new LinkedHashMap<>();
    for (LoggedRequest request : requests.subList(2, requests.size())) {
      String traceId = request.getMethod().getName().equals("PUT")
          ? request.getUrl().replaceAll(".*/traces/(tr-[0-9a-f]{32})/artifacts/.*", "$1")
          : parseJson(request.getBodyAsString()).at("/trace/trace_info/trace_id").asText();
      byTrace.computeIfAbsent(traceId, id -> new ArrayList<>()).add(request);
    }
    assertEquals(3, byTrace.size(), calls.toString());
    for (List<LoggedRequest> traceRequests : byTrace.values()) {
      assertEquals(List.of(upload, register),
          traceRequests.stream().map(MlflowRestExportIT::call).collect(Collectors.toList()));
    }
    // The app's calls in the order it made them: by the traces' start times.
    List<List<LoggedRequest>> traces = new ArrayList<>(byTrace.values());
    traces.sort(Comparator.comparing(traceRequests -> parseJson(
        traceRequests.get(1).getBodyAsString()).at("/trace/trace_info/request_time").asText()));

    JsonNode spans = parseJson(traces.get(0).get(0).getBodyAsString()).get("spans");
    JsonNode info = parseJson(traces.get(0).get(1).getBodyAsString()).at("/trace/trace_info");
    String traceId = info.get("trace_id").asText();
    assertTrue(traces.get(0).get(0).getUrl().contains("/traces/" + traceId + "/artifacts/"));
    assertEquals(1, spans.size());
    assertEquals("Completions", spans.at("/0/name").asText());
    assertEquals("\"CHAT_MODEL\"", spans.at("/0/attributes/mlflow.spanType").asText());
    assertEquals("\"" + traceId + "\"", spans.at("/0/attributes/mlflow.traceRequestId").asText());
    assertTrue(spans.get(0).has("parent_span_id") && spans.at("/0/parent_span_id").isNull());

    assertEquals("7", info.at("/trace_location/mlflow_experiment/experiment_id").asText());
    assertEquals("MLFLOW_EXPERIMENT", info.at("/trace_location/type").asText());
    assertTrue(info.get("execution_duration").asText().matches("\\d+(\\.\\d{1,9})?s"),
        info.get("execution_duration").asText());
    assertTrue(info.get("request_time").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
    assertEquals("OK", info.get("state").asText());
    assertEquals("What is MLflow?", info.get("request_preview").asText());
    assertEquals(OpenAiFake.ANSWER, info.get("response_preview").asText());
    assertEquals("Completions", info.at("/tags/mlflow.traceName").asText());
    assertEquals(parseJson("{\"input_tokens\":21,\"output_tokens\":12,\"total_tokens\":33}"),
        parseJson(info.at("/trace_metadata/mlflow.trace.tokenUsage").asText()));
    assertEquals("ERROR", parseJson(traces.get(2).get(1).getBodyAsString())
        .at("/trace/trace_info/state").asText());

    assertFalse(run.stderr().contains(TOKEN), "the token was logged");
    assertTrue(run.agentLines().get(0).contains("traces go to MLflow server " + mlflow.baseUrl()
        + " (experiment 7)"), run.stderr());
  }

  private static String call(LoggedRequest request) {
    return request.getMethod() + " " + request.getUrl().replaceAll("tr-[0-9a-f]{32}", "{id}");
  }

  @Test
  void anUnreachableServerCostsTheAppNothingAndTheTracesWaitInTheSpool() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Result without = ForkedApp.of(OpenAiChatApp.class).args(openai.baseUrl()).withoutAgent().run();
    Result run = ForkedApp.of(OpenAiChatApp.class).args(openai.baseUrl())
        .env("MLFLOW_TRACKING_URI", "http://127.0.0.1:" + closedPort)
        .run().assertCleanRun();

    assertEquals(without.stdout(), run.stdout());
    assertEquals(3, TraceFiles.read(run.workingDir().resolve("mlflow-traces/unsent")).size(),
        run.stderr());
    assertTrue(run.agentLines().stream().anyMatch(line -> line.startsWith(
        "[mlflow-agent] WARN could not send traces to the MLflow server http://127.0.0.1:"
            + closedPort)), run.stderr());
  }
}
