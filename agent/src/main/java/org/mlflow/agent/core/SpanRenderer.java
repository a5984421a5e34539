package org.mlflow.agent.core;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mlflow.agent.AgentLog;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.export.ExportedEvent;
import org.mlflow.agent.export.ExportedSpan;
import org.mlflow.agent.export.JsonText;
import org.mlflow.agent.export.MlflowAttributes;
import org.mlflow.agent.export.SpanIds;
import org.mlflow.agent.integration.ContentRenderer;
import org.mlflow.agent.integration.SpanContent;
import org.mlflow.agent.integration.TokenUsage;

/**
 * Turns a recorded {@link Span} into an {@link ExportedSpan}: runs the integration's renderer over
 * the captured request and response and names the results as MLflow does. Exporter thread only.
 */
public final class SpanRenderer {

  static final int MAX_STACKTRACE_CHARS = 16 * 1024;
  /** Says why a span has no inputs or outputs: see {@link #renderBare}. */
  static final String CONTENT_DROPPED = "mlflow_tracing_agent.content_dropped";

  private final Map<String, ContentRenderer> renderers;
  private final ContentPolicy contentPolicy;

  public SpanRenderer(Map<String, ContentRenderer> renderers, ContentPolicy contentPolicy) {
    this.renderers = Map.copyOf(renderers);
    this.contentPolicy = contentPolicy;
  }

  /** A span that ended by itself. */
  public ExportedSpan render(Span span) {
    SpanContent content = readContent(span);
    Throwable error = span.error();
    List<ExportedEvent> events = new ArrayList<>(chunkEvents(span, content));
    if (error != null) {
      events.add(exceptionEvent(error, span.endEpochNanos()));
    }
    String errorMessage = contentPolicy.redactText(
        error != null ? AgentLog.describe(error) : content.failure());
    return build(span, span.endEpochNanos(), content, errorMessage, events);
  }

  /**
   * A span that ended by itself, without its content (inputs, outputs, model, usage, chunks): what
   * the exporter sends when the content waiting for it is over its heap budget. The library's
   * objects are not read, so it costs microseconds whatever the call's size.
   */
  public ExportedSpan renderBare(Span span) {
    Throwable error = span.error();
    SpanContent content = new SpanContent().attribute(CONTENT_DROPPED,
        "the content waiting to be exported was over the agent's heap budget");
    return build(span, span.endEpochNanos(), content,
        error != null ? contentPolicy.redactText(AgentLog.describe(error)) : null,
        error != null ? List.of(exceptionEvent(error, span.endEpochNanos())) : List.of());
  }

  /**
   * A root that has not ended after the trace timeout: closed now as an error. Its response is not
   * read, since the call may still be writing it.
   */
  public ExportedSpan renderTimedOut(Span span, long nowEpochNanos, long timeoutSeconds) {
    SpanContent content = new SpanContent();
    return build(span, nowEpochNanos, content,
        "not ended after " + timeoutSeconds + " s (MLFLOW_TRACE_TIMEOUT_SECONDS); closed by the"
            + " agent", List.of());
  }

  private SpanContent readContent(Span span) {
    SpanContent content = new SpanContent();
    ContentRenderer renderer = renderers.get(span.contentKind());
    if (renderer == null) {
      return content;
    }
    try {
      renderer.render(span, content);
    } catch (Throwable failure) {
      AgentLog.errorOnce("render:" + span.contentKind(),
          "could not read the content of a " + span.name() + " span (" + span.contentKind()
              + "); the span is exported without it", failure);
    }
    return content;
  }

  private ExportedSpan build(Span span, long endEpochNanos, SpanContent content,
      String errorMessage, List<ExportedEvent> events) {
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put(MlflowAttributes.TRACE_REQUEST_ID,
        SpanIds.mlflowTraceId(span.traceIdHigh(), span.traceIdLow()));
    attributes.put(MlflowAttributes.SPAN_TYPE,
        content.spanType() != null ? content.spanType() : span.spanType());
    // A root's inputs and outputs give the trace's previews: taken now, from the values at hand.
    boolean root = span.isRoot();
    putIfPresent(attributes, MlflowAttributes.SPAN_INPUTS,
        contentPolicy.apply(content.inputs(), root ? Previews.Side.REQUEST : null));
    putIfPresent(attributes, MlflowAttributes.SPAN_OUTPUTS,
        contentPolicy.apply(content.outputs(), root ? Previews.Side.RESPONSE : null));
    putIfPresent(attributes, MlflowAttributes.MESSAGE_FORMAT, content.messageFormat());
    putIfPresent(attributes, MlflowAttributes.LLM_MODEL, content.model());
    putIfPresent(attributes, MlflowAttributes.LLM_PROVIDER, content.provider());
    putIfPresent(attributes, MlflowAttributes.CHAT_TOOLS, content.tools());
    TokenUsage usage = content.tokenUsage();
    if (usage != null) {
      Map<String, Object> tokens = new LinkedHashMap<>();
      tokens.put(MlflowAttributes.INPUT_TOKENS, usage.inputTokens());
      tokens.put(MlflowAttributes.OUTPUT_TOKENS, usage.outputTokens());
      tokens.put(MlflowAttributes.TOTAL_TOKENS, usage.totalTokens());
      putIfPresent(tokens, MlflowAttributes.CACHE_READ_INPUT_TOKENS, usage.cacheReadInputTokens());
      putIfPresent(tokens, MlflowAttributes.CACHE_CREATION_INPUT_TOKENS,
          usage.cacheCreationInputTokens());
      attributes.put(MlflowAttributes.CHAT_TOKEN_USAGE, tokens);
    }
    content.attributes().forEach(attributes::putIfAbsent);
    return new ExportedSpan(
        span.traceIdHigh(),
        span.traceIdLow(),
        span.spanId(),
        span.parentSpanId(),
        content.spanName() != null ? content.spanName() : span.name(),
        span.startEpochNanos(),
        endEpochNanos,
        errorMessage == null ? ExportedSpan.STATUS_OK : ExportedSpan.STATUS_ERROR,
        errorMessage == null ? "" : errorMessage,
        attributes,
        events,
        content.traceMetadata());
  }

  private static void putIfPresent(Map<String, Object> attributes, String key, Object value) {
    if (value != null) {
      attributes.put(key, value);
    }
  }

  /**
   * MLflow's record of a stream: one event per item, {@code mlflow.chunk.item.<i>}. Items are
   * content, so the content policy applies to each: none without capture, each cut to the limit.
   */
  private List<ExportedEvent> chunkEvents(Span span, SpanContent content) {
    List<Object> chunks = content.chunks();
    int count = Math.min(chunks.size(), span.chunkCount());
    List<ExportedEvent> events = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Object chunk = chunks.get(i);
      JsonText value = contentPolicy.apply(chunk);
      if (value == null && chunk != null) {
        return List.of(); // content capture is off
      }
      events.add(new ExportedEvent("mlflow.chunk.item." + i, span.chunkEpochNanos(i),
          Map.of("mlflow.chunk.value", value == null ? "null" : value.json())));
    }
    return events;
  }

  /**
   * MLflow's record of an error. Providers echo credentials in their errors ("Incorrect API key
   * provided: sk-..."), so the texts are redacted as content is, before the cut.
   */
  private ExportedEvent exceptionEvent(Throwable error, long epochNanos) {
    StringWriter trace = new StringWriter();
    error.printStackTrace(new PrintWriter(trace));
    String stacktrace = contentPolicy.redactText(trace.toString());
    if (stacktrace.length() > MAX_STACKTRACE_CHARS) {
      stacktrace = stacktrace.substring(0, MAX_STACKTRACE_CHARS) + "\n\t... (truncated)";
    }
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("exception.type", error.getClass().getName());
    attributes.put("exception.message",
        error.getMessage() == null ? "" : contentPolicy.redactText(error.getMessage()));
    attributes.put("exception.stacktrace", stacktrace);
    return new ExportedEvent("exception", epochNanos, attributes);
  }
}
