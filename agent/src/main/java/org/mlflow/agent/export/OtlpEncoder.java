package org.mlflow.agent.export;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Encodes one trace's spans as an OTLP {@code ExportTraceServiceRequest} in protobuf, from the
 * {@code traces.json} document every sink and the spool already hold (base64 ids, each attribute
 * value as JSON text).
 *
 * <p>Attribute values are written the way each receiver reads them:
 *
 * <ul>
 *   <li>{@link Target#MLFLOW_SERVER}: as typed OTLP values (a JSON object becomes a key-value
 *       list, a string a string), as MLflow's Python client sends them to {@code /v1/traces}.
 *       Every MLflow server since 3.4 JSON-encodes the decoded value once when it stores it;
 *       JSON text inside a string value would be stored encoded twice by servers before 3.18.
 *   <li>{@link Target#COLLECTOR}: each {@code mlflow.*} value stays its JSON text in a string (OTel
 *       attributes hold no maps; MLflow's Python client exports the same to a collector), and the
 *       GenAI semantic-convention attributes ({@code gen_ai.*}) are added beside them, model calls
 *       becoming CLIENT spans.
 * </ul>
 *
 * Event attributes are plain values in {@code traces.json} and are written typed for both.
 */
public final class OtlpEncoder {

  /** Who receives the request. */
  public enum Target {
    MLFLOW_SERVER,
    COLLECTOR
  }

  private static final int SPAN_KIND_INTERNAL = 1;
  private static final int SPAN_KIND_CLIENT = 3;
  private static final Map<String, Integer> SPAN_KINDS = Map.of(
      "SPAN_KIND_UNSPECIFIED", 0, "SPAN_KIND_INTERNAL", SPAN_KIND_INTERNAL,
      "SPAN_KIND_SERVER", 2, "SPAN_KIND_CLIENT", SPAN_KIND_CLIENT,
      "SPAN_KIND_PRODUCER", 4, "SPAN_KIND_CONSUMER", 5);

  private final Target target;
  private final ProtoWriter resource;
  private final ProtoWriter scope;

  /**
   * @param serviceName the resource's {@code service.name}
   * @param agentVersion the instrumentation scope's version
   */
  public OtlpEncoder(Target target, String serviceName, String agentVersion) {
    this.target = target;
    this.resource = new ProtoWriter();
    resource.message(1, keyValue("service.name", stringValue(serviceName)));
    resource.message(1, keyValue("telemetry.sdk.name", stringValue("mlflow-tracing-agent")));
    resource.message(1, keyValue("telemetry.sdk.language", stringValue("java")));
    resource.message(1, keyValue("telemetry.sdk.version", stringValue(agentVersion)));
    this.scope = new ProtoWriter();
    scope.string(1, "mlflow-tracing-agent");
    scope.string(2, agentVersion);
  }

  /** The request for the spans of a {@code traces.json} document, gzip-compressed. */
  public byte[] encodeGzipped(byte[] spansJson) throws IOException {
    return gzip(encode(spansJson));
  }

  /** The request for the spans of a {@code traces.json} document ({@code {"spans":[...]}}). */
  public byte[] encode(byte[] spansJson) throws IOException {
    JsonNode document = JsonCodec.mapper().readTree(spansJson);
    ProtoWriter scopeSpans = new ProtoWriter();
    scopeSpans.message(1, scope);
    for (JsonNode span : document.path("spans")) {
      scopeSpans.message(2, span(span));
    }
    ProtoWriter resourceSpans = new ProtoWriter();
    resourceSpans.message(1, resource);
    resourceSpans.message(2, scopeSpans);
    ProtoWriter request = new ProtoWriter();
    request.message(1, resourceSpans);
    return request.toByteArray();
  }

  static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream compressed = new ByteArrayOutputStream(data.length / 4 + 64);
    try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
      gzip.write(data);
    }
    return compressed.toByteArray();
  }

  private ProtoWriter span(JsonNode span) throws IOException {
    Map<String, JsonNode> attributes = parsedAttributes(span.path("attributes"));
    Map<String, Object> genAi =
        target == Target.COLLECTOR ? GenAiAttributes.of(attributes) : Map.of();

    ProtoWriter out = new ProtoWriter();
    out.bytes(1, id(span, "trace_id"));
    out.bytes(2, id(span, "span_id"));
    if (span.path("parent_span_id").isTextual() && !span.path("parent_span_id").asText().isEmpty()) {
      out.bytes(4, id(span, "parent_span_id"));
    }
    out.string(5, span.path("name").asText());
    int kind = SPAN_KINDS.getOrDefault(span.path("kind").asText(), SPAN_KIND_INTERNAL);
    if (GenAiAttributes.isModelCall(genAi.get(GenAiAttributes.OPERATION_NAME))) {
      kind = SPAN_KIND_CLIENT;
    }
    out.varintField(6, kind);
    out.fixed64(7, span.path("start_time_unix_nano").asLong());
    out.fixed64(8, span.path("end_time_unix_nano").asLong());
    Iterator<Map.Entry<String, JsonNode>> raw = span.path("attributes").fields();
    while (raw.hasNext()) {
      Map.Entry<String, JsonNode> attribute = raw.next();
      ProtoWriter value = target == Target.COLLECTOR
          ? stringValue(attribute.getValue().asText())
          : anyValue(attributes.get(attribute.getKey()));
      out.message(9, keyValue(attribute.getKey(), value));
    }
    for (Map.Entry<String, Object> attribute : genAi.entrySet()) {
      Object value = attribute.getValue();
      out.message(9, keyValue(attribute.getKey(), value instanceof Long
          ? intValue((Long) value)
          : stringValue(String.valueOf(value))));
    }
    for (JsonNode event : span.path("events")) {
      out.message(11, event(event));
    }
    out.message(15, status(span.path("status")));
    return out;
  }

  private static ProtoWriter event(JsonNode event) {
    ProtoWriter out = new ProtoWriter();
    out.fixed64(1, event.path("time_unix_nano").asLong());
    out.string(2, event.path("name").asText());
    Iterator<Map.Entry<String, JsonNode>> attributes = event.path("attributes").fields();
    while (attributes.hasNext()) {
      Map.Entry<String, JsonNode> attribute = attributes.next();
      out.message(3, keyValue(attribute.getKey(), anyValue(attribute.getValue())));
    }
    return out;
  }

  private static ProtoWriter status(JsonNode status) {
    ProtoWriter out = new ProtoWriter();
    out.optionalString(2, status.path("message").asText(""));
    String code = status.path("code").asText("");
    int value = code.endsWith("ERROR") ? 2 : code.endsWith("OK") ? 1 : 0;
    if (value != 0) {
      out.varintField(3, value);
    }
    return out;
  }

  /** Span attribute values are JSON text in {@code traces.json}: parsed once, here. */
  private static Map<String, JsonNode> parsedAttributes(JsonNode attributes) {
    Map<String, JsonNode> parsed = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = attributes.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNode value = field.getValue();
      if (value.isTextual()) {
        try {
          JsonNode decoded = JsonCodec.mapper().readTree(value.asText());
          if (decoded != null && !decoded.isMissingNode()) {
            value = decoded;
          }
        } catch (IOException notJson) {
          // a value written by hand rather than JSON-encoded: MLflow reads it as the text itself
        }
      }
      parsed.put(field.getKey(), value);
    }
    return parsed;
  }

  private static byte[] id(JsonNode span, String field) throws IOException {
    try {
      return Base64.getDecoder().decode(span.path(field).asText());
    } catch (IllegalArgumentException notBase64) {
      throw new IOException("span " + field + " is not base64: " + span.path(field), notBase64);
    }
  }

  private static ProtoWriter keyValue(String key, ProtoWriter value) {
    ProtoWriter out = new ProtoWriter();
    out.string(1, key);
    out.message(2, value);
    return out;
  }

  private static ProtoWriter stringValue(String value) {
    ProtoWriter out = new ProtoWriter();
    out.string(1, value);
    return out;
  }

  private static ProtoWriter intValue(long value) {
    ProtoWriter out = new ProtoWriter();
    out.varintField(3, value);
    return out;
  }

  /** A JSON value as an OTLP AnyValue; null becomes the empty AnyValue, as OTLP spells it. */
  private static ProtoWriter anyValue(JsonNode value) {
    ProtoWriter out = new ProtoWriter();
    if (value == null || value.isNull() || value.isMissingNode()) {
      return out;
    }
    if (value.isTextual()) {
      out.string(1, value.asText());
    } else if (value.isBoolean()) {
      out.varintField(2, value.asBoolean() ? 1 : 0);
    } else if (value.isIntegralNumber() && value.canConvertToLong()) {
      out.varintField(3, value.asLong());
    } else if (value.isNumber()) {
      out.doubleField(4, value.asDouble());
    } else if (value.isArray()) {
      ProtoWriter array = new ProtoWriter();
      for (JsonNode item : value) {
        array.message(1, anyValue(item));
      }
      out.message(5, array);
    } else if (value.isObject()) {
      ProtoWriter list = new ProtoWriter();
      Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        list.message(1, keyValue(field.getKey(), anyValue(field.getValue())));
      }
      out.message(6, list);
    } else {
      out.string(1, value.asText());
    }
    return out;
  }
}
