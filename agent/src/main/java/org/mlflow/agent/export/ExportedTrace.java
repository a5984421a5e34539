package org.mlflow.agent.export;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A complete trace: MLflow's trace info (TraceInfoV3) and its spans, root first. */
public final class ExportedTrace {

  public static final String STATE_OK = "OK";
  public static final String STATE_ERROR = "ERROR";

  private final String traceId;
  private final String experimentId;
  private final long requestEpochNanos;
  private final long executionDurationNanos;
  private final String state;
  private final String requestPreview;
  private final String responsePreview;
  private final Map<String, String> metadata;
  private final Map<String, String> tags;
  private final List<ExportedSpan> spans;

  public ExportedTrace(
      String traceId,
      String experimentId,
      long requestEpochNanos,
      long executionDurationNanos,
      String state,
      String requestPreview,
      String responsePreview,
      Map<String, String> metadata,
      Map<String, String> tags,
      List<ExportedSpan> spans) {
    this.traceId = traceId;
    this.experimentId = experimentId;
    this.requestEpochNanos = requestEpochNanos;
    this.executionDurationNanos = executionDurationNanos;
    this.state = state;
    this.requestPreview = requestPreview;
    this.responsePreview = responsePreview;
    this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    this.tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    this.spans = List.copyOf(spans);
  }

  /** {@code tr-} and 32 hex digits. */
  public String traceId() {
    return traceId;
  }

  public String experimentId() {
    return experimentId;
  }

  public long requestEpochNanos() {
    return requestEpochNanos;
  }

  public long executionDurationNanos() {
    return executionDurationNanos;
  }

  public String state() {
    return state;
  }

  public String requestPreview() {
    return requestPreview;
  }

  public String responsePreview() {
    return responsePreview;
  }

  public Map<String, String> metadata() {
    return metadata;
  }

  public Map<String, String> tags() {
    return tags;
  }

  public List<ExportedSpan> spans() {
    return spans;
  }
}
