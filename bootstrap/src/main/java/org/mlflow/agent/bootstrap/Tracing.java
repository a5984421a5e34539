package org.mlflow.agent.bootstrap;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The static facade woven advice calls: {@link #start} on method entry, {@link #end} on exit.
 *
 * <p>Lives on the bootstrap class loader so that advice inlined into any library class can reach
 * it. Until the agent calls {@link #install}, nothing is recorded. Nothing here blocks, locks or
 * allocates beyond the span itself: the per-thread context is one small object per thread.
 */
public final class Tracing {

  /** Returned for calls that are not recorded (unsampled trace, tracing not installed). */
  public static final Span NOT_RECORDED =
      new Span(0, 0, 0, 0, "not-recorded", "UNKNOWN", "", 0, null, null);

  /** Streamed items a span keeps; a longer stream is counted past this. */
  public static final int MAX_CHUNKS_PER_SPAN = 100_000;

  private static final ThreadLocal<ThreadContext> CONTEXT =
      ThreadLocal.withInitial(ThreadContext::new);

  /** The calls whose asynchronous loops are running, by their loop keys ({@link #startStep}). */
  private static final BoundSpans LOOPS = new BoundSpans();

  /** How the agent reads each kind of pending root ({@link #pendRoot}), by content kind. */
  private static final ConcurrentHashMap<String, RootCapture> ROOT_CAPTURES =
      new ConcurrentHashMap<>();

  private static volatile SpanSink sink;
  private static volatile double samplingRatio = 1.0;

  private Tracing() {}

  /** Called once by the agent at start-up; before that every call is {@link #NOT_RECORDED}. */
  public static void install(SpanSink spanSink, double traceSamplingRatio) {
    samplingRatio = traceSamplingRatio;
    sink = spanSink;
  }

  /**
   * Starts a span as a child of the thread's current span, or as the root of a new trace.
   *
   * @param contentKind names the renderer that will read {@code request} and the response
   * @param request the call's request object, kept by reference and rendered off this thread
   */
  public static Span start(String contentKind, String name, String spanType, Object request) {
    SpanSink target = sink;
    if (target == null) {
      return NOT_RECORDED;
    }
    ThreadContext context = CONTEXT.get();
    Span parent = context.current;
    if (parent == null && context.pendingKind != null) {
      parent = materializePendingRoot(context, target);
    }
    return startUnder(parent, context, target, contentKind, name, spanType, request);
  }

  /** Lets the agent say how the pending roots of {@code contentKind} are read. */
  public static void registerRootCapture(String contentKind, RootCapture capture) {
    ROOT_CAPTURES.put(contentKind, capture);
  }

  /**
   * Marks a call (such as an inbound HTTP request) as the root of whatever is traced inside it,
   * without starting a span: the root becomes a span only when a span starts inside the call on
   * this thread, so a call with nothing traced inside costs a thread-local write and no trace.
   * Its name and request are then read through the {@link RootCapture} registered for {@code
   * contentKind}. Does nothing inside a span or another pending root (a forwarded request).
   *
   * @return true when this call is now the pending root: the caller must then call {@link
   *     #closePendingRoot} when the call ends, on this thread
   */
  public static boolean pendRoot(String contentKind, String spanType, Object call) {
    if (sink == null) {
      return false;
    }
    ThreadContext context = CONTEXT.get();
    if (context.current != null || context.unrecordedDepth > 0 || context.pendingKind != null
        || context.pendingRoot != null) {
      return false;
    }
    context.pendingKind = contentKind;
    context.pendingType = spanType;
    context.pendingCall = call;
    return true;
  }

  /**
   * Ends the pending root marked by {@link #pendRoot} on this thread: a root that became a span
   * ends with {@code result} (read through its {@link RootCapture}) or {@code error}; one that did
   * not is forgotten.
   */
  public static void closePendingRoot(Object result, Throwable error) {
    ThreadContext context = CONTEXT.get();
    Span root = context.pendingRoot;
    String kind = context.pendingRootKind;
    context.pendingKind = null;
    context.pendingType = null;
    context.pendingCall = null;
    context.pendingRoot = null;
    context.pendingRootKind = null;
    if (root == null) {
      return;
    }
    Object response = null;
    RootCapture capture = ROOT_CAPTURES.get(kind);
    if (root != NOT_RECORDED && capture != null) {
      try {
        response = capture.response(result);
      } catch (Throwable failure) {
        adviceFailed(failure);
      }
    }
    end(root, response, error);
    if (root == NOT_RECORDED) {
      context.current = null; // an unsampled root was current only to keep its calls unrecorded
    }
  }

  /**
   * Turns the thread's pending root into a span (or, when its trace is not sampled, into {@link
   * #NOT_RECORDED} for the rest of the call), current on this thread.
   */
  private static Span materializePendingRoot(ThreadContext context, SpanSink target) {
    String kind = context.pendingKind;
    Object call = context.pendingCall;
    context.pendingKind = null; // reading the call below must not materialize it again
    context.pendingCall = null;
    RootCapture capture = ROOT_CAPTURES.get(kind);
    String name = kind;
    Object request = null;
    if (capture != null) {
      try {
        name = capture.name(call);
        request = capture.request(call);
      } catch (Throwable failure) {
        adviceFailed(failure);
      }
    }
    Span root = startUnder(null, context, target, kind, name, context.pendingType, request);
    context.pendingRoot = root;
    context.pendingRootKind = kind;
    if (root == NOT_RECORDED) {
      context.current = NOT_RECORDED; // the calls inside follow their unsampled root
    }
    return root;
  }

  /**
   * {@link #start}, unless the thread is already inside a span of the same content kind: then
   * nothing is recorded and null is returned (ending null is a no-op). For a library method that
   * delegates to another hooked method of the same kind (an overload, a default method calling an
   * implementation, a synchronous client blocking on its asynchronous twin): the outermost call is
   * the one span.
   */
  public static Span startOutermost(String contentKind, String name, String spanType,
      Object request) {
    Span current = CONTEXT.get().current;
    if (current != null && current.contentKind().equals(contentKind)) {
      return null;
    }
    return start(contentKind, name, spanType, request);
  }

  /**
   * Starts a span under {@code parent} (null: a new trace) and makes it current on this thread.
   */
  private static Span startUnder(Span parent, ThreadContext context, SpanSink target,
      String contentKind, String name, String spanType, Object request) {
    if (context.unrecordedDepth > 0 || parent == NOT_RECORDED
        || (parent == null && !sampleNewTrace())) {
      context.unrecordedDepth++;
      return NOT_RECORDED;
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long traceIdHigh;
    long traceIdLow;
    long parentSpanId;
    if (parent == null) {
      traceIdHigh = random.nextLong();
      traceIdLow = nonZero(random.nextLong());
      parentSpanId = 0;
    } else {
      traceIdHigh = parent.traceIdHigh();
      traceIdLow = parent.traceIdLow();
      parentSpanId = parent.spanId();
    }
    Span span =
        new Span(
            traceIdHigh,
            traceIdLow,
            nonZero(random.nextLong()),
            parentSpanId,
            name,
            spanType,
            contentKind,
            EpochClock.nowNanos(),
            request,
            context.current);
    context.current = span;
    if (parent != null) {
      if (parent.isRoot()) {
        announce(parent, target);
      }
      if (parent.isHeldBack()) {
        parent.release(); // a step with a traced call inside it is kept, so its child has a parent
      }
    }
    return span;
  }

  /**
   * Tells the agent about a root that must be known before it ends ({@link SpanSink#rootStarted}):
   * one with a span inside it, or one leaving its thread. A single call costs one hand-off, not
   * two.
   */
  private static void announce(Span root, SpanSink target) {
    if (root.markAnnounced()) {
      target.rootStarted(root);
    }
  }

  /**
   * Makes {@code span} the calling thread's current span, for work done on the span's behalf
   * after its call returned (the subscription of a lazy stream, maybe on another thread), and
   * returns what was current before, for {@link #restoreCurrent}. Spans started meanwhile are its
   * children.
   */
  static Span makeCurrent(Span span) {
    ThreadContext context = CONTEXT.get();
    Span previous = context.current;
    context.current = span;
    return previous;
  }

  /** Undoes {@link #makeCurrent}. */
  static void restoreCurrent(Span previous) {
    CONTEXT.get().current = previous;
  }

  /**
   * Starts a span for one step of the current span's work, such as one model call of a library's
   * tool loop. A call that takes a single step is one span, not a parent with one child: the first
   * step is held back, and reaches the agent only if a second step starts under the same parent
   * (or something is traced inside it). The parent reports how many steps it took ({@link
   * Span#stepCount}), so its renderer can tell a loop from a single call. Without a current span
   * this is {@link #start}.
   */
  public static Span startStep(String contentKind, String name, String spanType, Object request) {
    return startStep(contentKind, name, spanType, request, null);
  }

  /**
   * {@link #startStep} for a loop whose later steps run on other threads, each from the completion
   * of the one before (an asynchronous tool loop): the first step, started where the call is
   * current, binds {@code loopKey} to the call; a later step, started where no span is current,
   * finds the call by its key. The key is an object of that one call (by identity) that every
   * step receives, such as the request config the library builds for the loop.
   */
  public static Span startStep(String contentKind, String name, String spanType, Object request,
      Object loopKey) {
    SpanSink target = sink;
    if (target == null) {
      return NOT_RECORDED;
    }
    ThreadContext context = CONTEXT.get();
    Span parent = context.unrecordedDepth > 0 ? NOT_RECORDED : context.current;
    if (parent != null && parent == context.pendingRoot) {
      // Directly under a request root, as without a span around it: a plain call, not a step.
      return start(contentKind, name, spanType, request);
    }
    if (loopKey != null) {
      if (parent == null) {
        parent = LOOPS.find(loopKey);
      } else if (LOOPS.find(loopKey) != parent) {
        LOOPS.add(loopKey, parent);
      }
    }
    if (parent == null && context.pendingKind != null) {
      return start(contentKind, name, spanType, request); // the first call of a pending root
    }
    Span step = startUnder(parent, context, target, contentKind, name, spanType, request);
    if (step == NOT_RECORDED || parent == null) {
      return step;
    }
    step.markStep();
    int steps = parent.addStep();
    if (steps == 1) {
      parent.holdBack(step);
    } else if (steps == 2) {
      Span first = parent.releaseHeldStep();
      if (first != null && first.hasEnded()) {
        deliver(first);
      }
    }
    return step;
  }

  /**
   * Ends a span started by {@link #start} and hands it to the agent. Safe to call with {@code
   * null} (an advice whose enter failed), with {@link #NOT_RECORDED}, from another thread than the
   * starting one, and more than once: only the first call ends the span.
   */
  public static void end(Span span, Object response, Throwable error) {
    if (span == null) {
      return;
    }
    if (span == NOT_RECORDED) {
      ThreadContext context = CONTEXT.get();
      if (context.unrecordedDepth > 0) {
        context.unrecordedDepth--;
      }
      return;
    }
    takeOffThread(span);
    if (!span.tryFinish(EpochClock.nowNanos(), response, error)) {
      return;
    }
    if (span.isStep()) {
      // A held-back step waits for its release; startStep delivers it then if it has ended.
      if (!span.isHeldBack()) {
        deliver(span);
      }
      return;
    }
    SpanSink target = sink;
    if (target != null) {
      target.spanEnded(span);
    }
  }

  /** Hands an ended step to the agent, once, whichever of its end and its release comes last. */
  private static void deliver(Span step) {
    SpanSink target = sink;
    if (target != null && step.claimDelivery()) {
      target.spanEnded(step);
    }
  }

  /**
   * Takes a span off the calling thread without ending it: for a call that returns before its
   * work is done (a stream, a future), whose span ends later, maybe on another thread. Calls made
   * on this thread afterwards are no longer its children.
   */
  public static void detach(Span span) {
    takeOffThread(span);
    if (span != null && span != NOT_RECORDED && span.isRoot() && !span.hasEnded()) {
      SpanSink target = sink;
      if (target != null) {
        announce(span, target); // it may never end: the agent must be able to close its trace
      }
    }
  }

  /** {@link #detach} without telling the agent: for a span about to end. */
  private static void takeOffThread(Span span) {
    if (span == null) {
      return;
    }
    ThreadContext context = CONTEXT.get();
    if (span == NOT_RECORDED) {
      if (context.unrecordedDepth > 0) {
        context.unrecordedDepth--;
      }
      return;
    }
    // Pops the span and anything still open inside it (a child that outlives its parent), but
    // only on the thread where it is open: a span ended elsewhere leaves this thread alone.
    boolean openOnThisThread = isOpenOn(context, span);
    Span enclosing = span.takeEnclosing();
    if (openOnThisThread) {
      context.current = enclosing;
    }
  }

  /**
   * Records one item a streaming call produced (kept by reference, rendered off-thread). Items
   * beyond {@link #MAX_CHUNKS_PER_SPAN} are counted, not kept. Call it from the thread consuming
   * the stream.
   */
  public static void chunk(Span span, Object item) {
    if (span == null || span == NOT_RECORDED || span.hasEnded()) {
      return;
    }
    span.addChunk(item, EpochClock.nowNanos(), MAX_CHUNKS_PER_SPAN);
  }

  /**
   * Ends the span when the future completes, with its value or failure, on whichever thread
   * completes it. Returns the future unchanged; the caller's view of it is untouched.
   */
  public static <T> CompletableFuture<T> endWhenDone(Span span, CompletableFuture<T> future) {
    if (span == null || span == NOT_RECORDED || future == null) {
      end(span, null, null); // an unrecorded call leaves the thread as it found it
      return future;
    }
    detach(span);
    future.whenComplete((value, failure) -> end(span, value, unwrap(failure)));
    return future;
  }

  /**
   * {@link #endWhenDone} for a future the library itself continues from, such as a step of an
   * asynchronous loop: returns the future to hand on instead, which completes with the same value
   * or the same failure, on the same thread, once the span has ended. So the span ends before
   * whatever continues from it, and before the call that contains it.
   */
  public static <T> CompletableFuture<T> endBeforeContinuing(Span span,
      CompletableFuture<T> future) {
    if (span == null || span == NOT_RECORDED || future == null) {
      end(span, null, null);
      return future;
    }
    detach(span);
    return future.whenComplete((value, failure) -> end(span, value, unwrap(failure)));
  }

  /**
   * Ends the span of a call that has just returned {@code returned} or thrown {@code thrown}: at
   * once, or, when it returned a {@link CompletableFuture} (an async client), when that future
   * completes ({@link #endWhenDone}).
   */
  public static void endAtReturn(Span span, Object returned, Throwable thrown) {
    if (thrown == null && returned instanceof CompletableFuture) {
      endWhenDone(span, (CompletableFuture<?>) returned);
    } else {
      end(span, returned, thrown);
    }
  }

  /** What a future's or async stream's failure wraps: the exception the call itself threw. */
  static Throwable unwrap(Throwable failure) {
    if (failure instanceof CompletionException && failure.getCause() != null) {
      return failure.getCause();
    }
    return failure;
  }

  /**
   * Woven advice reports its own failures here (Byte Buddy's advice exception handler calls it);
   * the library call goes on as if no advice were there.
   */
  public static void adviceFailed(Throwable error) {
    SpanSink target = sink;
    if (target != null) {
      target.adviceFailed(error);
    }
  }

  /**
   * Runs {@code task} on this thread as if inside {@code parent}: for work a library hands to
   * another thread (an executor), so that what the task traces is a child of the span that was
   * current where the work was handed off. The thread's own context is restored afterwards.
   */
  public static void runWithin(Span parent, Runnable task) {
    ThreadContext context = CONTEXT.get();
    Span previous = context.current;
    context.current = parent;
    try {
      task.run();
    } finally {
      context.current = previous;
    }
  }

  /** The span the calling thread is inside, or null. */
  public static Span current() {
    return CONTEXT.get().current;
  }

  private static boolean isOpenOn(ThreadContext context, Span span) {
    for (Span open = context.current; open != null; open = open.enclosing()) {
      if (open == span) {
        return true;
      }
    }
    return false;
  }

  private static boolean sampleNewTrace() {
    double ratio = samplingRatio;
    return ratio >= 1.0 || (ratio > 0.0 && ThreadLocalRandom.current().nextDouble() < ratio);
  }

  private static long nonZero(long value) {
    return value != 0 ? value : 1;
  }

  private static final class ThreadContext {
    Span current;
    int unrecordedDepth;

    /** A root marked by {@link #pendRoot} that has no span yet: its kind, type and call. */
    String pendingKind;
    String pendingType;
    Object pendingCall;

    /** The span a pending root became, and its kind, until {@link #closePendingRoot}. */
    Span pendingRoot;
    String pendingRootKind;
  }
}
