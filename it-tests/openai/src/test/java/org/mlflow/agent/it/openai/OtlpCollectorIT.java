package org.mlflow.agent.it.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.it.support.ForkedApp;
import org.mlflow.agent.it.support.ForkedApp.Result;

/** The agent exporting to an OpenTelemetry collector (a WireMock one) over OTLP/HTTP. */
class OtlpCollectorIT {

  private static final String TRACES_PATH = "/v1/traces";

  private OpenAiFake openai;
  private WireMockServer collector;
  private WireMockServer mlflow;

  @BeforeEach
  void start() {
    openai = new OpenAiFake();
    collector = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    collector.start();
    collector.stubFor(post(urlPathEqualTo(TRACES_PATH)).willReturn(aResponse().withStatus(200)));
    // An MLflow 3.17 server that takes spans over OTLP, for dual export.
    mlflow = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    mlflow.start();
    mlflow.stubFor(get(urlPathEqualTo("/api/2.0/mlflow/experiments/get"))
        .willReturn(okJson("{\"experiment\":{\"experiment_id\":\"0\","
            + "\"artifact_location\":\"mlflow-artifacts:/0\"}}")));
    mlflow.stubFor(get(urlPathEqualTo("/version")).willReturn(aResponse().withBody("3.17.2")));
    mlflow.stubFor(post(anyUrl()).willReturn(okJson("{}")));
  }

  @AfterEach
  void stop() {
    openai.close();
    collector.stop();
    mlflow.stop();
  }

  private Result runChatApp(boolean dualExport) throws Exception {
    return ForkedApp.of(OpenAiChatApp.class).args(openai.baseUrl())
        .env("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", collector.baseUrl() + TRACES_PATH)
        .env("OTEL_EXPORTER_OTLP_TRACES_HEADERS", "x-api-key=collector-SECRET-7")
        .env("OTEL_SERVICE_NAME", "chat-app")
        .env("MLFLOW_TRACKING_URI", mlflow.baseUrl())
        .env("MLFLOW_TRACE_ENABLE_OTLP_DUAL_EXPORT", String.valueOf(dualExport))
        .run().assertCleanRun();
  }

  /** The one span of each trace the collector received, in the order the app made the calls. */
  private List<Span> receivedSpans() throws Exception {
    List<Span> spans = new ArrayList<>();
    for (LoggedRequest request : collector.findAll(postRequestedFor(urlPathEqualTo(TRACES_PATH)))) {
      assertEquals("gzip", request.getHeader("Content-Encoding"));
      assertEquals("application/x-protobuf", request.getHeader("Content-Type"));
      assertEquals("collector-SECRET-7", request.getHeader("x-api-key"));
      // WireMock logs a gzip body un-gzipped; the Content-Encoding header shows what was sent.
      ResourceSpans resourceSpans =
          ExportTraceServiceRequest.parseFrom(request.getBody()).getResourceSpans(0);
      assertEquals("chat-app", attributes(resourceSpans.getResource().getAttributesList())
          .get("service.name").getStringValue());
      spans.addAll(resourceSpans.getScopeSpans(0).getSpansList());
    }
    spans.sort(Comparator.comparingLong(Span::getStartTimeUnixNano));
    return spans;
  }

  private static Map<String, AnyValue> attributes(
      List<io.opentelemetry.proto.common.v1.KeyValue> keyValues) {
    Map<String, AnyValue> map = new LinkedHashMap<>();
    keyValues.forEach(keyValue -> map.put(keyValue.getKey(), keyValue.getValue()));
    return map;
  }

  @Test
  void aCollectorGetsModelCallsAsClientSpansWithTheGenAiConventions() throws Exception {
    Result run = runChatApp(false);

    List<Span> spans = receivedSpans();
    assertEquals(3, spans.size(), run.stderr());
    Span first = spans.get(0);
    assertEquals("Completions", first.getName());
    assertEquals(Span.SpanKind.SPAN_KIND_CLIENT, first.getKind());
    assertTrue(first.getParentSpanId().isEmpty());
    assertEquals(Status.StatusCode.STATUS_CODE_OK, first.getStatus().getCode());
    Map<String, AnyValue> attributes = attributes(first.getAttributesList());
    assertEquals("chat", attributes.get("gen_ai.operation.name").getStringValue());
    assertEquals("openai", attributes.get("gen_ai.provider.name").getStringValue());
    assertEquals("openai", attributes.get("gen_ai.system").getStringValue());
    assertEquals(OpenAiChatApp.MODEL, attributes.get("gen_ai.request.model").getStringValue());
    assertEquals(OpenAiFake.SERVED_MODEL,
        attributes.get("gen_ai.response.model").getStringValue());
    assertEquals(OpenAiFake.PROMPT_TOKENS,
        attributes.get("gen_ai.usage.input_tokens").getIntValue());
    assertEquals(OpenAiFake.COMPLETION_TOKENS,
        attributes.get("gen_ai.usage.output_tokens").getIntValue());
    // MLflow's own attributes ride along, JSON text as MLflow's Python client exports them.
    assertEquals("\"CHAT_MODEL\"", attributes.get("mlflow.spanType").getStringValue());
    assertTrue(attributes.get("mlflow.spanInputs").getStringValue().contains("What is MLflow?"));
    assertTrue(attributes.get("mlflow.spanOutputs").getStringValue()
        .contains(OpenAiFake.ANSWER));

    Span failed = spans.get(2);
    assertEquals(Status.StatusCode.STATUS_CODE_ERROR, failed.getStatus().getCode());
    assertEquals("exception", failed.getEvents(0).getName());
    assertFalse(attributes(failed.getAttributesList()).containsKey("gen_ai.usage.input_tokens"));

    assertEquals(0, mlflow.findAll(anyRequestedFor(anyUrl())).size(),
        "without dual export the tracking server gets nothing");
    assertTrue(run.agentLines().stream().anyMatch(line ->
        line.contains("3 trace(s) sent to OTLP collector")), run.stderr());
    assertFalse(run.stderr().contains("collector-SECRET-7"), "header values are never logged");
  }

  @Test
  void dualExportSendsEveryTraceToTheCollectorAndTheTrackingServer() throws Exception {
    Result run = runChatApp(true);

    assertEquals(3, receivedSpans().size(), run.stderr());
    assertEquals(3, mlflow.findAll(postRequestedFor(urlPathEqualTo("/v1/traces"))).size());
    assertEquals(3,
        mlflow.findAll(postRequestedFor(urlPathEqualTo("/api/3.0/mlflow/traces"))).size());
    assertTrue(run.agentLines().get(0).contains("MLflow server")
        && run.agentLines().get(0).contains("and OTLP collector"), run.stderr());
  }
}
