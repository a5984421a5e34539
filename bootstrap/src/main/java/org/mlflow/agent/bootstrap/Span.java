package org.mlflow.agent.bootstrap;

/**
 * One traced call, as recorded on the application thread.
 *
 * <p>Recording is deliberately cheap: ids are random longs, times are epoch nanoseconds, and the
 * call's request, response and error are kept by reference. Turning them into span attributes is
 * the exporter thread's job ({@link #contentKind()} says which renderer knows how).
 *
 * <p>The identity fields are final. The ending fields are written once, by whichever thread ends
 * the span first (a streaming call may end on another thread than the one that started it),
 * before the span is handed to the {@link SpanSink}; the sink's hand-off (a release store in the
 * agent's ring) publishes them, and the streamed items recorded before, to the exporter thread.
 */
public final class Span {

  private static final java.lang.invoke.VarHandle ENDED;
  private static final java.lang.invoke.VarHandle DELIVERED;
  private static final java.lang.invoke.VarHandle STEP_COUNT;
  /** States of {@link #ended} after 0 (open). */
  private static final int ENDING = 1;
  private static final int FINISHED = 2;

  static {
    try {
      java.lang.invoke.MethodHandles.Lookup lookup = java.lang.invoke.MethodHandles.lookup();
      ENDED = lookup.findVarHandle(Span.class, "ended", int.class);
      DELIVERED = lookup.findVarHandle(Span.class, "delivered", int.class);
      STEP_COUNT = lookup.findVarHandle(Span.class, "stepCount", int.class);
    } catch (ReflectiveOperationException impossible) {
      throw new ExceptionInInitializerError(impossible);
    }
  }

  private final long traceIdHigh;
  private final long traceIdLow;
  private final long spanId;
  private final long parentSpanId;
  private final String name;
  private final String spanType;
  private final String contentKind;
  private final long startEpochNanos;
  /** Not final: {@link #dropContent} lets go of it. */
  private Object request;

  /** The span that was current on the starting thread before this one; restored when it ends. */
  private Span enclosing;

  private long endEpochNanos;
  private Object response;
  private Throwable error;

  /**
   * 0 while open; {@link #ENDING} once the one {@link #tryFinish} that wins (from any thread) has
   * claimed the end; {@link #FINISHED} once it has written the ending fields, so reading it
   * publishes them to another thread. One field, not two, keeps a span in 128 bytes.
   */
  private volatile int ended;

  /**
   * Steps started directly under this span ({@link Tracing#startStep}), before it ends; the steps
   * of an asynchronous loop start on different threads.
   */
  private volatile int stepCount;

  /** This span's first step while that step is held back. */
  private volatile Span heldStep;

  /**
   * Set once the root was announced to the sink ({@link Tracing}). Plain: two threads starting
   * children at once may both announce it, which the agent takes as one.
   */
  private boolean announced;

  /** Set by {@link #dropContent}: the span is exported without inputs and outputs. */
  private boolean contentDropped;

  /** True for a span started by {@link Tracing#startStep}. */
  private boolean step;

  /** A held-back step reaches the sink only once released ({@link Tracing#startStep}). */
  private volatile boolean heldBack;

  /** 0 until a step is handed to the sink; set to 1 by the one hand-off that wins. */
  private volatile int delivered;

  /** Streamed items, in arrival order, with their arrival times. Written by the consuming thread. */
  private Object[] chunks;
  private long[] chunkEpochNanos;
  private int chunkCount;
  private long chunksDropped;

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

  /** Ends the span unless it already ended: true for exactly one caller, whatever the thread. */
  boolean tryFinish(long endEpochNanos, Object response, Throwable error) {
    if (!ENDED.compareAndSet(this, 0, ENDING)) {
      return false;
    }
    this.endEpochNanos = endEpochNanos;
    this.response = response;
    this.error = error;
    // A release store publishes the fields above to whoever reads the state; a volatile store
    // would add a full fence to every call's end, on the application thread, for nothing.
    ENDED.setRelease(this, FINISHED);
    return true;
  }

  /** Counts one more step under this span and returns the count. */
  int addStep() {
    return (int) STEP_COUNT.getAndAdd(this, 1) + 1;
  }

  void markStep() {
    step = true;
  }

  boolean isStep() {
    return step;
  }

  /** True the first time, mostly: see {@link #announced}. */
  boolean markAnnounced() {
    if (announced) {
      return false;
    }
    announced = true;
    return true;
  }

  void holdBack(Span firstStep) {
    firstStep.heldBack = true;
    heldStep = firstStep;
  }

  /** The held-back first step, now released from this span; null when there is none. */
  Span releaseHeldStep() {
    Span first = heldStep;
    heldStep = null;
    if (first != null) {
      first.heldBack = false;
    }
    return first;
  }

  boolean isHeldBack() {
    return heldBack;
  }

  /** Lets a held-back step reach the sink when it ends (something was traced inside it). */
  void release() {
    heldBack = false;
  }

  /** True for exactly one caller: the one that hands this step to the sink. */
  boolean claimDelivery() {
    return DELIVERED.compareAndSet(this, 0, 1);
  }

  void addChunk(Object chunk, long epochNanos, int maxChunks) {
    if (chunkCount == maxChunks) {
      chunksDropped++;
      return;
    }
    if (chunks == null || chunkCount == chunks.length) {
      int size = chunks == null ? 16 : Math.min(maxChunks, chunks.length * 2);
      chunks = chunks == null ? new Object[size] : java.util.Arrays.copyOf(chunks, size);
      chunkEpochNanos = chunkEpochNanos == null
          ? new long[size] : java.util.Arrays.copyOf(chunkEpochNanos, size);
    }
    chunks[chunkCount] = chunk;
    chunkEpochNanos[chunkCount] = epochNanos;
    chunkCount++;
  }

  /**
   * Lets go of the call's request, response and streamed items, so that the span, waiting to be
   * exported, no longer keeps them from the garbage collector; it is exported without inputs and
   * outputs. Called by the agent on the ending thread, before it hands the span over.
   */
  public void dropContent() {
    request = null;
    response = null;
    chunks = null;
    chunkEpochNanos = null;
    chunkCount = 0;
    contentDropped = true;
  }

  /** Whether {@link #dropContent} let go of this span's content. */
  public boolean contentDropped() {
    return contentDropped;
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

  /**
   * True once the span ended and its end time, response and error can be read from any thread; the
   * agent uses it to recover a root whose end could not be handed over (a full ring).
   */
  public boolean isFinished() {
    return ended == FINISHED;
  }

  public boolean hasEnded() {
    return ended != 0;
  }

  /**
   * How many steps ran directly under this span ({@link Tracing#startStep}): 2 or more means the
   * call ran a loop whose steps are spans of their own; 1 means its single step was folded into it.
   */
  public int stepCount() {
    return stepCount;
  }

  /** How many items a streaming call produced and the span kept. */
  public int chunkCount() {
    return chunkCount;
  }

  /** The {@code index}-th streamed item, as the library produced it. */
  public Object chunk(int index) {
    return chunks[index];
  }

  public long chunkEpochNanos(int index) {
    return chunkEpochNanos[index];
  }

  /** Streamed items beyond the kept maximum, counted only. */
  public long chunksDropped() {
    return chunksDropped;
  }
}
