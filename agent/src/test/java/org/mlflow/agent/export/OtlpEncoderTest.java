package org.mlflow.agent.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** Decodes what the encoder writes with OpenTelemetry's own generated protobuf classes. */
class OtlpEncoderTest {

  private static final long TRACE_HIGH = 0x0af7651916cd43ddL;
  private static final long TRACE_LOW = 0x8448eb211c80319cL;
  private static final long ROOT_ID = 0xb7ad6b7169203331L;
  private static final long CHAT_ID = 0x00f067aa0ba902b7L;
  private static final long START = 1_795_372_200_123_456_789L;

  /** A chain over a failed chat call with usage, as the renderer makes them. */
  private static byte[] spansJson() throws Exception {
    Map<String, Object> rootAttributes = new LinkedHashMap<>();
    rootAttributes.put(MlflowAttributes.TRACE_REQUEST_ID, "tr-0af7651916cd43dd8448eb211c80319c");
    rootAttributes.put(MlflowAttributes.SPAN_TYPE, "CHAIN");
    rootAttributes.put(MlflowAttributes.SPAN_INPUTS, new JsonText("{\"question\":\"hi\"}"));
    rootAttributes.put(MlflowAttributes.SPAN_OUTPUTS, "{\"looks\":\"like JSON\"}");
    ExportedSpan root = new ExportedSpan(TRACE_HIGH, TRACE_LOW, ROOT_ID, 0, "agent", START,
        START + 2_000_000, ExportedSpan.STATUS_OK, "", rootAttributes, List.of());

    Map<String, Object> chatAttributes = new LinkedHashMap<>();
    chatAttributes.put(MlflowAttributes.SPAN_TYPE, "CHAT_MODEL");
    chatAttributes.put(MlflowAttributes.SPAN_INPUTS, new JsonText(
        "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
            + "\"temperature\":0.5,\"stream\":false,\"user\":null}"));
    chatAttributes.put(MlflowAttributes.LLM_MODEL, "gpt-4o-mini-2024-07-18");
    chatAttributes.put(MlflowAttributes.LLM_PROVIDER, "openai");
    chatAttributes.put(MlflowAttributes.CHAT_TOKEN_USAGE,
        Map.of("input_tokens", 12, "output_tokens", 3, "total_tokens", 15));
    ExportedSpan chat = new ExportedSpan(TRACE_HIGH, TRACE_LOW, CHAT_ID, ROOT_ID, "Completions",
        START + 100, START + 1_000_000, ExportedSpan.STATUS_ERROR, "java.io.IOException: down",
        chatAttributes, List.of(new ExportedEvent("exception", START + 900,
            Map.of("exception.type", "java.io.IOException", "exception.escaped", true))));
    return JsonCodec.mapper().writeValueAsBytes(MlflowJson.spansDocument(List.of(root, chat)));
  }

  private static ExportTraceServiceRequest decode(OtlpEncoder.Target target) throws Exception {
    byte[] gzipped = new OtlpEncoder(target, "checkout", "1.2.3").encodeGzipped(spansJson());
    try (GZIPInputStream body = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
      return ExportTraceServiceRequest.parseFrom(body.readAllBytes());
    }
  }

  private static Map<String, AnyValue> attributes(List<KeyValue> keyValues) {
    Map<String, AnyValue> map = new LinkedHashMap<>();
    keyValues.forEach(keyValue -> map.put(keyValue.getKey(), keyValue.getValue()));
    return map;
  }

  private static AnyValue string(String value) {
    return AnyValue.newBuilder().setStringValue(value).build();
  }

  private static byte[] bytes(long... longs) {
    ByteBuffer buffer = ByteBuffer.allocate(8 * longs.length);
    for (long value : longs) {
      buffer.putLong(value);
    }
    return buffer.array();
  }

  @Test
  void spansKeepTheirIdsTreeTimesStatusAndEvents() throws Exception {
    ExportTraceServiceRequest request = decode(OtlpEncoder.Target.MLFLOW_SERVER);

    assertEquals(1, request.getResourceSpansCount());
    ResourceSpans resourceSpans = request.getResourceSpans(0);
    assertEquals(string("checkout"),
        attributes(resourceSpans.getResource().getAttributesList()).get("service.name"));
    assertEquals("mlflow-tracing-agent", resourceSpans.getScopeSpans(0).getScope().getName());
    assertEquals("1.2.3", resourceSpans.getScopeSpans(0).getScope().getVersion());
    List<Span> spans = resourceSpans.getScopeSpans(0).getSpansList();
    assertEquals(2, spans.size());

    Span root = spans.get(0);
    assertArrayEquals(bytes(TRACE_HIGH, TRACE_LOW), root.getTraceId().toByteArray());
    assertArrayEquals(bytes(ROOT_ID), root.getSpanId().toByteArray());
    assertTrue(root.getParentSpanId().isEmpty());
    assertEquals("agent", root.getName());
    assertEquals(Span.SpanKind.SPAN_KIND_INTERNAL, root.getKind());
    assertEquals(START, root.getStartTimeUnixNano());
    assertEquals(START + 2_000_000, root.getEndTimeUnixNano());
    assertEquals(Status.StatusCode.STATUS_CODE_OK, root.getStatus().getCode());

    Span chat = spans.get(1);
    assertArrayEquals(bytes(ROOT_ID), chat.getParentSpanId().toByteArray());
    assertArrayEquals(bytes(CHAT_ID), chat.getSpanId().toByteArray());
    assertEquals(Status.StatusCode.STATUS_CODE_ERROR, chat.getStatus().getCode());
    assertEquals("java.io.IOException: down", chat.getStatus().getMessage());
    assertEquals(1, chat.getEventsCount());
    Span.Event event = chat.getEvents(0);
    assertEquals("exception", event.getName());
    assertEquals(START + 900, event.getTimeUnixNano());
    Map<String, AnyValue> eventAttributes = attributes(event.getAttributesList());
    assertEquals(string("java.io.IOException"), eventAttributes.get("exception.type"));
    assertTrue(eventAttributes.get("exception.escaped").getBoolValue());
  }

  @Test
  void anMlflowServerGetsTypedValuesAsMlflowsPythonClientSendsThem() throws Exception {
    List<Span> spans = decode(OtlpEncoder.Target.MLFLOW_SERVER)
        .getResourceSpans(0).getScopeSpans(0).getSpansList();

    Map<String, AnyValue> root = attributes(spans.get(0).getAttributesList());
    assertEquals(string("CHAIN"), root.get("mlflow.spanType"));
    assertEquals(string("tr-0af7651916cd43dd8448eb211c80319c"),
        root.get("mlflow.traceRequestId"));
    KeyValue question = root.get("mlflow.spanInputs").getKvlistValue().getValues(0);
    assertEquals("question", question.getKey());
    assertEquals(string("hi"), question.getValue());
    assertEquals(string("{\"looks\":\"like JSON\"}"), root.get("mlflow.spanOutputs"),
        "a string output stays a string");

    Map<String, AnyValue> chat = attributes(spans.get(1).getAttributesList());
    Map<String, AnyValue> inputs = attributes(chat.get("mlflow.spanInputs")
        .getKvlistValue().getValuesList());
    assertEquals(0.5, inputs.get("temperature").getDoubleValue());
    assertFalse(inputs.get("stream").getBoolValue());
    assertEquals(AnyValue.ValueCase.VALUE_NOT_SET, inputs.get("user").getValueCase());
    AnyValue message = inputs.get("messages").getArrayValue().getValues(0);
    assertEquals(string("user"), attributes(message.getKvlistValue().getValuesList()).get("role"));
    Map<String, AnyValue> usage = attributes(chat.get("mlflow.chat.tokenUsage")
        .getKvlistValue().getValuesList());
    assertEquals(12, usage.get("input_tokens").getIntValue());
    assertFalse(chat.keySet().stream().anyMatch(key -> key.startsWith("gen_ai.")),
        "MLflow reads its own attributes");
    assertEquals(Span.SpanKind.SPAN_KIND_INTERNAL, spans.get(1).getKind());
  }

  @Test
  void aCollectorGetsJsonTextAndTheGenAiConventions() throws Exception {
    List<Span> spans = decode(OtlpEncoder.Target.COLLECTOR)
        .getResourceSpans(0).getScopeSpans(0).getSpansList();

    Map<String, AnyValue> root = attributes(spans.get(0).getAttributesList());
    assertEquals(string("\"CHAIN\""), root.get("mlflow.spanType"));
    assertEquals(string("{\"question\":\"hi\"}"), root.get("mlflow.spanInputs"));
    assertFalse(root.containsKey("gen_ai.operation.name"), "a chain is no GenAI operation");
    assertEquals(Span.SpanKind.SPAN_KIND_INTERNAL, spans.get(0).getKind());

    Span chatSpan = spans.get(1);
    assertEquals(Span.SpanKind.SPAN_KIND_CLIENT, chatSpan.getKind(), "a model call");
    Map<String, AnyValue> chat = attributes(chatSpan.getAttributesList());
    assertEquals(string("\"openai\""), chat.get("mlflow.llm.provider"));
    assertEquals(string("chat"), chat.get("gen_ai.operation.name"));
    assertEquals(string("openai"), chat.get("gen_ai.provider.name"));
    assertEquals(string("openai"), chat.get("gen_ai.system"));
    assertEquals(string("gpt-4o-mini"), chat.get("gen_ai.request.model"));
    assertEquals(string("gpt-4o-mini-2024-07-18"), chat.get("gen_ai.response.model"));
    assertEquals(12, chat.get("gen_ai.usage.input_tokens").getIntValue());
    assertEquals(3, chat.get("gen_ai.usage.output_tokens").getIntValue());
  }

  @Test
  void embeddingsAreClientSpansWithTheModelThatAnswered() throws Exception {
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put(MlflowAttributes.SPAN_TYPE, "EMBEDDING");
    attributes.put(MlflowAttributes.LLM_MODEL, "text-embedding-3-small");
    ExportedSpan embed = new ExportedSpan(1, 2, 3, 0, "Embeddings", 10, 20,
        ExportedSpan.STATUS_OK, "", attributes, List.of());
    byte[] request = new OtlpEncoder(OtlpEncoder.Target.COLLECTOR, "s", "v").encode(
        JsonCodec.mapper().writeValueAsBytes(MlflowJson.spansDocument(List.of(embed))));

    Span span = ExportTraceServiceRequest.parseFrom(request)
        .getResourceSpans(0).getScopeSpans(0).getSpans(0);
    assertEquals(Span.SpanKind.SPAN_KIND_CLIENT, span.getKind());
    Map<String, AnyValue> decoded = attributes(span.getAttributesList());
    assertEquals(string("embeddings"), decoded.get("gen_ai.operation.name"));
    assertEquals(string("text-embedding-3-small"), decoded.get("gen_ai.request.model"));
    assertFalse(decoded.containsKey("gen_ai.usage.input_tokens"));
  }
}
