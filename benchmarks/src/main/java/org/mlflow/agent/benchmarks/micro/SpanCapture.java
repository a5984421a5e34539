package org.mlflow.agent.benchmarks.micro;

import org.mlflow.agent.benchmarks.export.ChatSpans;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.bootstrap.SpanSink;
import org.mlflow.agent.bootstrap.Tracing;

/**
 * Records one span through the real bridge ({@link Tracing#start} / {@link Tracing#end}) and
 * keeps it, so a benchmark can render the exact object the exporter thread would receive.
 */
final class SpanCapture implements SpanSink {

  private Span ended;

  static Span record(ChatSpans chat) {
    SpanCapture capture = new SpanCapture();
    Tracing.install(capture, 1.0);
    try {
      chat.record();
    } finally {
      Tracing.install(null, 1.0);
    }
    if (capture.ended == null) {
      throw new IllegalStateException("the bridge recorded no span");
    }
    return capture.ended;
  }

  @Override
  public void rootStarted(Span root) {}

  @Override
  public void spanEnded(Span span) {
    ended = span;
  }

  @Override
  public void adviceFailed(Throwable error) {
    throw new IllegalStateException(error);
  }
}
