package org.mlflow.agent.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mlflow.agent.export.ExportedSpan;
import org.mlflow.agent.export.ExportedTrace;
import org.mlflow.agent.export.JsonCodec;
import org.mlflow.agent.export.MlflowAttributes;
import org.mlflow.agent.export.SpanIds;

/**
 * Builds MLflow's trace info around a finished span tree: state, duration, previews, the trace's
 * token usage and the metadata MLflow's own clients set.
 */
public final class TraceBuilder {

  /** What an OSS tracking server keeps of a preview. */
  public static final int PREVIEW_CHARS = 1000;
  /** What Databricks keeps of a preview. */
  public static final int DATABRICKS_PREVIEW_CHARS = 10_000;

  /** Summed only when a span reports them, as MLflow does: absent from a trace without any. */
  private static final List<String> OPTIONAL_TOKEN_COUNTS = List.of(
      MlflowAttributes.CACHE_READ_INPUT_TOKENS, MlflowAttributes.CACHE_CREATION_INPUT_TOKENS);

  private final String experimentId;
  private final Map<String, String> sourceMetadata;
  private final Map<String, String> staticMetadata;
  private final int previewChars;

  /**
   * @param sourceMetadata metadata every trace of this JVM carries, such as its source name
   */
  public TraceBuilder(String experimentId, Map<String, String> sourceMetadata) {
    this(experimentId, sourceMetadata, Map.of(), PREVIEW_CHARS);
  }

  /**
   * @param staticMetadata the user's own metadata for every trace ({@code
   *     MLFLOW_AGENT_TRACE_METADATA}), such as the app's version; never an {@code mlflow.} key
   * @param previewChars the longest request and response previews, as the server keeps them
   */
  public TraceBuilder(String experimentId, Map<String, String> sourceMetadata,
      Map<String, String> staticMetadata, int previewChars) {
    this.experimentId = experimentId;
    this.sourceMetadata = Map.copyOf(sourceMetadata);
    this.staticMetadata = new LinkedHashMap<>(staticMetadata);
    this.previewChars = previewChars;
  }

  /** @param spans every span of the trace, the root first */
  public ExportedTrace build(List<ExportedSpan> spans) {
    ExportedSpan root = spans.get(0);
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("mlflow.trace_schema.version", "3");
    Map<String, Long> usage = traceTokenUsage(spans);
    if (usage != null) {
      metadata.put("mlflow.trace.tokenUsage", JsonCodec.write(usage));
    }
    metadata.putAll(sourceMetadata);
    metadata.putAll(staticMetadata);
    for (ExportedSpan span : spans) {
      metadata.putAll(span.traceMetadata());
    }
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("mlflow.traceName", root.name());
    return new ExportedTrace(
        SpanIds.mlflowTraceId(root.traceIdHigh(), root.traceIdLow()),
        experimentId,
        root.startEpochNanos(),
        Math.max(0, root.endEpochNanos() - root.startEpochNanos()),
        ExportedSpan.STATUS_ERROR.equals(root.status())
            ? ExportedTrace.STATE_ERROR
            : ExportedTrace.STATE_OK,
        Previews.request(root.attribute(MlflowAttributes.SPAN_INPUTS), previewChars),
        Previews.response(root.attribute(MlflowAttributes.SPAN_OUTPUTS), previewChars),
        metadata,
        tags,
        spans);
  }

  /**
   * The sum of the spans' usage, skipping any span below one that already reports usage (a
   * framework call that sums its model calls must not be counted twice). Null when no span has any.
   */
  static Map<String, Long> traceTokenUsage(List<ExportedSpan> spans) {
    Map<Long, ExportedSpan> byId = new HashMap<>();
    for (ExportedSpan span : spans) {
      byId.put(span.spanId(), span);
    }
    long input = 0;
    long output = 0;
    long total = 0;
    Map<String, Long> optional = new LinkedHashMap<>();
    boolean any = false;
    for (ExportedSpan span : spans) {
      Object usage = span.attribute(MlflowAttributes.CHAT_TOKEN_USAGE);
      if (!(usage instanceof Map) || hasAncestorWithUsage(span, byId)) {
        continue;
      }
      Map<?, ?> tokens = (Map<?, ?>) usage;
      input += count(tokens.get(MlflowAttributes.INPUT_TOKENS));
      output += count(tokens.get(MlflowAttributes.OUTPUT_TOKENS));
      total += count(tokens.get(MlflowAttributes.TOTAL_TOKENS));
      for (String key : OPTIONAL_TOKEN_COUNTS) {
        if (tokens.get(key) instanceof Number) {
          optional.merge(key, count(tokens.get(key)), Long::sum);
        }
      }
      any = true;
    }
    if (!any) {
      return null;
    }
    Map<String, Long> sum = new LinkedHashMap<>();
    sum.put(MlflowAttributes.INPUT_TOKENS, input);
    sum.put(MlflowAttributes.OUTPUT_TOKENS, output);
    sum.put(MlflowAttributes.TOTAL_TOKENS, total);
    for (String key : OPTIONAL_TOKEN_COUNTS) {
      if (optional.containsKey(key)) {
        sum.put(key, optional.get(key));
      }
    }
    return sum;
  }

  private static boolean hasAncestorWithUsage(ExportedSpan span, Map<Long, ExportedSpan> byId) {
    List<Long> seen = new ArrayList<>();
    ExportedSpan parent = byId.get(span.parentSpanId());
    while (parent != null && !seen.contains(parent.spanId())) {
      if (parent.attribute(MlflowAttributes.CHAT_TOKEN_USAGE) != null) {
        return true;
      }
      seen.add(parent.spanId());
      parent = byId.get(parent.parentSpanId());
    }
    return false;
  }

  private static long count(Object value) {
    return value instanceof Number ? ((Number) value).longValue() : 0;
  }
}
