package org.mlflow.agent;

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
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.agent.config.AgentConfig;
import org.mlflow.agent.config.SettingSource;
import org.mlflow.agent.export.ExportedSpan;
import org.mlflow.agent.export.ExportedTrace;
import org.mlflow.agent.sink.TraceSink;

/** The OTLP collector settings: collector only, or beside the tracking server. */
class TraceSinksTest {

  @TempDir
  Path folder;

  private WireMockServer collector;
  private WireMockServer mlflow;

  @BeforeEach
  void start() {
    collector = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    collector.start();
    collector.stubFor(post(urlPathEqualTo("/otlp/v1/traces"))
        .willReturn(aResponse().withStatus(200)));
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
    collector.stop();
    mlflow.stop();
  }

  private TraceSink sink(boolean dualExport) {
    Map<String, String> env = new HashMap<>();
    env.put("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", collector.baseUrl() + "/otlp/v1/traces");
    env.put("OTEL_EXPORTER_OTLP_TRACES_HEADERS", "x-api-key=key%20one,x-team=search");
    env.put("OTEL_SERVICE_NAME", "checkout");
    env.put("MLFLOW_TRACKING_URI", mlflow.baseUrl());
    env.put("MLFLOW_TRACE_ENABLE_OTLP_DUAL_EXPORT", String.valueOf(dualExport));
    env.put("MLFLOW_AGENT_TRACES_DIR", folder.toString());
    AgentConfig config = AgentConfig.load(new SettingSource(env, new Properties()), List.of());
    assertEquals(List.of(), config.problems());
    return TraceSinks.forConfig(config);
  }

  private static ExportedTrace chatTrace() {
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("mlflow.spanType", "CHAT_MODEL");
    attributes.put("mlflow.llm.model", "gpt-4o-mini");
    attributes.put("mlflow.llm.provider", "openai");
    attributes.put("mlflow.chat.tokenUsage",
        Map.of("input_tokens", 21, "output_tokens", 12, "total_tokens", 33));
    ExportedSpan chat = new ExportedSpan(1, 2, 3, 0, "Completions", 1_000_000_000L,
        2_000_000_000L, ExportedSpan.STATUS_OK, "", attributes, List.of());
    return new ExportedTrace("tr-00000000000000010000000000000002", "0", 1_000_000_000L,
        1_000_000_000L, "OK", "q", "a", Map.of(), Map.of("mlflow.traceName", "Completions"),
        List.of(chat));
  }

  private static Span onlySpan(LoggedRequest request) throws Exception {
    // WireMock logs a gzip body un-gzipped; the Content-Encoding header shows what was sent.
    ExportTraceServiceRequest decoded = ExportTraceServiceRequest.parseFrom(request.getBody());
    assertEquals(AnyValue.newBuilder().setStringValue("checkout").build(),
        decoded.getResourceSpans(0).getResource().getAttributes(0).getValue());
    return decoded.getResourceSpans(0).getScopeSpans(0).getSpans(0);
  }

  private static Map<String, AnyValue> attributes(Span span) {
    Map<String, AnyValue> map = new LinkedHashMap<>();
    span.getAttributesList().forEach(keyValue -> map.put(keyValue.getKey(), keyValue.getValue()));
    return map;
  }

  @Test
  void aCollectorAloneGetsGzipProtobufWithTheGenAiConventions() throws Exception {
    TraceSink sink = sink(false);
    sink.export(chatTrace());
    sink.close();

    List<LoggedRequest> requests =
        collector.findAll(postRequestedFor(urlPathEqualTo("/otlp/v1/traces")));
    assertEquals(1, requests.size());
    LoggedRequest request = requests.get(0);
    assertEquals("gzip", request.getHeader("Content-Encoding"));
    assertEquals("application/x-protobuf", request.getHeader("Content-Type"));
    assertEquals("key one", request.getHeader("x-api-key"));
    assertEquals("search", request.getHeader("x-team"));
    Span span = onlySpan(request);
    assertEquals("Completions", span.getName());
    assertEquals(Span.SpanKind.SPAN_KIND_CLIENT, span.getKind());
    Map<String, AnyValue> attributes = attributes(span);
    assertEquals("chat", attributes.get("gen_ai.operation.name").getStringValue());
    assertEquals("openai", attributes.get("gen_ai.provider.name").getStringValue());
    assertEquals("gpt-4o-mini", attributes.get("gen_ai.request.model").getStringValue());
    assertEquals(21, attributes.get("gen_ai.usage.input_tokens").getIntValue());
    assertEquals(12, attributes.get("gen_ai.usage.output_tokens").getIntValue());
    assertEquals("\"CHAT_MODEL\"", attributes.get("mlflow.spanType").getStringValue());

    assertEquals(0, mlflow.findAll(anyRequestedFor(anyUrl())).size(),
        "without dual export the tracking server gets nothing");
  }

  @Test
  void dualExportSendsEachTraceToTheCollectorAndTheTrackingServer() throws Exception {
    TraceSink sink = sink(true);
    assertTrue(sink.describe().contains("MLflow server") && sink.describe().contains("OTLP"),
        sink.describe());
    sink.export(chatTrace());
    sink.close();

    assertEquals(1, collector.findAll(postRequestedFor(urlPathEqualTo("/otlp/v1/traces"))).size());
    assertEquals(1, mlflow.findAll(postRequestedFor(urlPathEqualTo("/v1/traces"))).size());
    assertEquals(1,
        mlflow.findAll(postRequestedFor(urlPathEqualTo("/api/3.0/mlflow/traces"))).size());
    assertEquals("chat", attributes(onlySpan(collector.findAll(
        postRequestedFor(urlPathEqualTo("/otlp/v1/traces"))).get(0)))
        .get("gen_ai.operation.name").getStringValue());
  }
}
