package org.mlflow.agent.export;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MLflow's JSON shapes of a trace, as its Python client writes and reads them.
 *
 * <ul>
 *   <li>{@link #spansDocument}: the {@code traces.json} artifact, {@code {"spans":[...]}}, with
 *       ids as base64 of the raw bytes and every span attribute value JSON-encoded into a string;
 *   <li>{@link #startTraceRequestFromFile}: the StartTraceV3 body, with the TraceInfoV3 message in
 *       proto JSON ({@code execution_duration} as {@code "1.5s"});
 *   <li>{@link #traceFile}: one whole trace as {@code mlflow.entities.Trace.to_dict()} writes it
 *       ({@code {"info":..., "data":{"spans":[...]}}}, {@code execution_duration_ms}), which
 *       {@code Trace.from_json} loads back losslessly.
 * </ul>
 */
public final class MlflowJson {

  private MlflowJson() {}

  public static Map<String, Object> spansDocument(List<ExportedSpan> spans) {
    return Map.of("spans", spans(spans));
  }

  public static Map<String, Object> traceFile(ExportedTrace trace) {
    Map<String, Object> file = new LinkedHashMap<>();
    file.put("info", traceFileInfo(trace));
    file.put("data", spansDocument(trace.spans()));
    return file;
  }

  /** The {@code info} part of a {@link #traceFile}. */
  public static Map<String, Object> traceFileInfo(ExportedTrace trace) {
    Map<String, Object> info = commonInfo(trace);
    info.put("execution_duration_ms", trace.executionDurationNanos() / 1_000_000L);
    return info;
  }

  /**
   * The StartTraceV3 body for a trace read back from a {@link #traceFile}, filed under {@code
   * experimentId}.
   */
  public static Map<String, Object> startTraceRequestFromFile(Map<String, Object> fileInfo,
      String experimentId) {
    Map<String, Object> info = new LinkedHashMap<>(fileInfo);
    Object millis = info.remove("execution_duration_ms");
    info.put("execution_duration",
        protoDuration((millis instanceof Number ? ((Number) millis).longValue() : 0) * 1_000_000L));
    info.put("trace_location", experimentLocation(experimentId));
    return Map.of("trace", Map.of("trace_info", info));
  }

  private static Map<String, Object> experimentLocation(String experimentId) {
    return Map.of(
        "type", "MLFLOW_EXPERIMENT",
        "mlflow_experiment", Map.of("experiment_id", experimentId));
  }

  private static Map<String, Object> commonInfo(ExportedTrace trace) {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("trace_id", trace.traceId());
    info.put("trace_location", experimentLocation(trace.experimentId()));
    info.put("request_time", rfc3339Millis(trace.requestEpochNanos()));
    info.put("state", trace.state());
    info.put("request_preview", trace.requestPreview());
    info.put("response_preview", trace.responsePreview());
    info.put("trace_metadata", trace.metadata());
    info.put("tags", trace.tags());
    return info;
  }

  private static List<Map<String, Object>> spans(List<ExportedSpan> spans) {
    List<Map<String, Object>> rendered = new ArrayList<>(spans.size());
    for (ExportedSpan span : spans) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("trace_id", SpanIds.base64(span.traceIdHigh(), span.traceIdLow()));
      json.put("span_id", SpanIds.base64(span.spanId()));
      json.put("parent_span_id",
          span.parentSpanId() == 0 ? null : SpanIds.base64(span.parentSpanId()));
      json.put("name", span.name());
      json.put("kind", "SPAN_KIND_INTERNAL");
      json.put("start_time_unix_nano", span.startEpochNanos());
      json.put("end_time_unix_nano", span.endEpochNanos());
      json.put("events", events(span.events()));
      json.put("status", Map.of(
          "code", ExportedSpan.STATUS_ERROR.equals(span.status())
              ? "STATUS_CODE_ERROR"
              : "STATUS_CODE_OK",
          "message", span.statusMessage()));
      Map<String, String> attributes = new LinkedHashMap<>();
      span.attributes().forEach((key, value) -> attributes.put(key, JsonCodec.write(value)));
      json.put("attributes", attributes);
      json.put("links", List.of());
      rendered.add(json);
    }
    return rendered;
  }

  /** Event attributes stay plain values: MLflow does not JSON-encode them. */
  private static List<Map<String, Object>> events(List<ExportedEvent> events) {
    List<Map<String, Object>> rendered = new ArrayList<>(events.size());
    for (ExportedEvent event : events) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("name", event.name());
      json.put("time_unix_nano", event.epochNanos());
      json.put("attributes", event.attributes());
      rendered.add(json);
    }
    return rendered;
  }

  /** {@code 2026-11-22T18:30:00.123Z}: millisecond precision, as MLflow stores request times. */
  static String rfc3339Millis(long epochNanos) {
    Instant instant = Instant.ofEpochMilli(epochNanos / 1_000_000L);
    String text = instant.toString();
    // Instant.toString drops a zero fraction; MLflow's clients always write three digits.
    return instant.getNano() == 0 ? text.replace("Z", ".000Z") : text;
  }

  /** Proto JSON duration: seconds with up to nine decimals, e.g. {@code "1.532s"}. */
  static String protoDuration(long nanos) {
    long seconds = nanos / 1_000_000_000L;
    long fraction = nanos % 1_000_000_000L;
    if (fraction == 0) {
      return seconds + "s";
    }
    String digits = String.format("%09d", fraction);
    if (fraction % 1_000_000 == 0) {
      digits = digits.substring(0, 3);
    } else if (fraction % 1_000 == 0) {
      digits = digits.substring(0, 6);
    }
    return seconds + "." + digits + "s";
  }
}
