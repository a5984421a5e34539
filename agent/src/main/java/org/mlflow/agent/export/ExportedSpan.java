package org.mlflow.agent.export;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A finished span, rendered: what every sink writes. Attribute values are plain JDK values keyed
 * by their MLflow names ({@code mlflow.spanType}, {@code mlflow.spanInputs}, ...); each wire
 * format encodes them its own way.
 */
public final class ExportedSpan {

  public static final String STATUS_OK = "OK";
  public static final String STATUS_ERROR = "ERROR";

  private final long traceIdHigh;
  private final long traceIdLow;
  private final long spanId;
  private final long parentSpanId;
  private final String name;
  private final long startEpochNanos;
  private final long endEpochNanos;
  private final String status;
  private final String statusMessage;
  private final Map<String, Object> attributes;
  private final List<ExportedEvent> events;
  private final Map<String, String> traceMetadata;

  public ExportedSpan(
      long traceIdHigh,
      long traceIdLow,
      long spanId,
      long parentSpanId,
      String name,
      long startEpochNanos,
      long endEpochNanos,
      String status,
      String statusMessage,
      Map<String, Object> attributes,
      List<ExportedEvent> events) {
    this(traceIdHigh, traceIdLow, spanId, parentSpanId, name, startEpochNanos, endEpochNanos,
        status, statusMessage, attributes, events, Map.of());
  }

  /**
   * @param traceMetadata metadata this span gives its whole trace (the user and session of the
   *     request a root stands for); not a span attribute
   */
  public ExportedSpan(
      long traceIdHigh,
      long traceIdLow,
      long spanId,
      long parentSpanId,
      String name,
      long startEpochNanos,
      long endEpochNanos,
      String status,
      String statusMessage,
      Map<String, Object> attributes,
      List<ExportedEvent> events,
      Map<String, String> traceMetadata) {
    this.traceIdHigh = traceIdHigh;
    this.traceIdLow = traceIdLow;
    this.spanId = spanId;
    this.parentSpanId = parentSpanId;
    this.name = name;
    this.startEpochNanos = startEpochNanos;
    this.endEpochNanos = endEpochNanos;
    this.status = status;
    this.statusMessage = statusMessage;
    this.attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    this.events = List.copyOf(events);
    this.traceMetadata = Collections.unmodifiableMap(new LinkedHashMap<>(traceMetadata));
  }

  public long traceIdHigh() {
    return traceIdHigh;
  }

  public long traceIdLow() {
    return traceIdLow;
  }

  public long spanId() {
    return spanId;
  }

  /** 0 for the root span. */
  public long parentSpanId() {
    return parentSpanId;
  }

  public String name() {
    return name;
  }

  public long startEpochNanos() {
    return startEpochNanos;
  }

  public long endEpochNanos() {
    return endEpochNanos;
  }

  /** {@link #STATUS_OK} or {@link #STATUS_ERROR}. */
  public String status() {
    return status;
  }

  public String statusMessage() {
    return statusMessage;
  }

  public Map<String, Object> attributes() {
    return attributes;
  }

  public Object attribute(String key) {
    return attributes.get(key);
  }

  public List<ExportedEvent> events() {
    return events;
  }

  public Map<String, String> traceMetadata() {
    return traceMetadata;
  }
}
