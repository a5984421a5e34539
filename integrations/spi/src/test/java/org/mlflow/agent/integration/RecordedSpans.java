package org.mlflow.agent.integration;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.bootstrap.SpanSink;
import org.mlflow.agent.bootstrap.Tracing;

/** Spans recorded through the real bridge, for renderer tests (shared with the test-jar). */
public final class RecordedSpans {

  private RecordedSpans() {}

  /** A finished span of one call that returned {@code response} or threw {@code error}. */
  public static Span call(Object request, Object response, Throwable error) {
    return record(span -> Tracing.end(span, response, error), request);
  }

  /**
   * A finished span of a call that took {@code steps} steps ({@code Tracing.startStep}) before
   * returning {@code response}: with two or more, each step is a span of its own.
   */
  public static Span callWithSteps(Object request, Object response, int steps) {
    return record(span -> {
      for (int i = 0; i < steps; i++) {
        Tracing.end(Tracing.startStep("test", "step", "UNKNOWN", request), response, null);
      }
      Tracing.end(span, response, null);
    }, request);
  }

  /** A finished span of a streaming call that produced {@code items}. */
  public static Span stream(Object request, List<?> items) {
    return record(span -> {
      items.forEach(item -> Tracing.chunk(span, item));
      Tracing.end(span, null, null);
    }, request);
  }

  private static Span record(Consumer<Span> finish, Object request) {
    List<Span> ended = new ArrayList<>();
    Tracing.install(new SpanSink() {
      @Override
      public void rootStarted(Span root) {}

      @Override
      public void spanEnded(Span span) {
        ended.add(span);
      }

      @Override
      public void adviceFailed(Throwable error) {
        throw new AssertionError(error);
      }
    }, 1.0);
    Span span;
    try {
      span = Tracing.start("test", "test", "UNKNOWN", request);
      finish.accept(span);
    } finally {
      Tracing.install(null, 1.0);
    }
    if (!ended.contains(span)) {
      throw new AssertionError("the span did not end");
    }
    return span;
  }
}
