package org.mlflow.agent.bootstrap;

/**
 * One traced call, as recorded on the application thread.
 *
 * <p>Recording is deliberately cheap: ids are random longs, times are epoch nanoseconds, and the
 * call's request, response and error are kept by reference. Turning them into span attributes is
 * the exporter thread's job ({@link #contentKind()} says which renderer knows how).
 *
 * <p>The identity fields are final. The ending fields are written once by {@link Tracing#end} on
 * the thread that ends the span, before the span is handed to the {@link SpanSink}; the sink's
 * hand-off (a release store in the agent's ring) publishes them to the exporter thread.
 */
public final class Span {

  private final long traceIdHigh;
  private final long traceIdLow;
  private final long spanId;
  private final long parentSpanId;
  private final String name;
  private final String spanType;
  private final String contentKind;
  private final long startEpochNanos;
  private final Object request;

  /** The span that was current on the starting thread before this one; restored when it ends. */
  private Span enclosing;

  private long endEpochNanos;
  private Object response;
  private Throwable error;

  Span(
      long traceIdHigh,
      long traceIdLow,
      long spanId,
      long parentSpanId,
      String name,
      String spanType,
      String contentKind,
      long startEpochNanos,
      Object request,
      Span enclosing) {
    this.traceIdHigh = traceIdHigh;
    this.traceIdLow = traceIdLow;
    this.spanId = spanId;
    this.parentSpanId = parentSpanId;
    this.name = name;
    this.spanType = spanType;
    this.contentKind = contentKind;
    this.startEpochNanos = startEpochNanos;
    this.request = request;
    this.enclosing = enclosing;
  }

  void finish(long endEpochNanos, Object response, Throwable error) {
    this.endEpochNanos = endEpochNanos;
    this.response = response;
    this.error = error;
  }

  Span enclosing() {
    return enclosing;
  }

  Span takeEnclosing() {
    Span result = enclosing;
    enclosing = null; // do not keep a finished parent (and its request) reachable from the ring
    return result;
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

  /** The parent's span id, or 0 for the root span of a trace. */
  public long parentSpanId() {
    return parentSpanId;
  }

  public boolean isRoot() {
    return parentSpanId == 0;
  }

  public String name() {
    return name;
  }

  /** An MLflow span type such as {@code CHAT_MODEL}. */
  public String spanType() {
    return spanType;
  }

  /** Names the renderer that turns {@link #request()} and {@link #response()} into attributes. */
  public String contentKind() {
    return contentKind;
  }

  public long startEpochNanos() {
    return startEpochNanos;
  }

  public long endEpochNanos() {
    return endEpochNanos;
  }

  public Object request() {
    return request;
  }

  public Object response() {
    return response;
  }

  /** What the call threw, or null when it returned normally. */
  public Throwable error() {
    return error;
  }
}
