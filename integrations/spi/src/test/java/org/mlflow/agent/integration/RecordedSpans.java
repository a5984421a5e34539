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
    try {
      finish.accept(Tracing.start("test", "test", "UNKNOWN", request));
    } finally {
      Tracing.install(null, 1.0);
    }
    return ended.get(0);
  }
}
