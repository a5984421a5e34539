package org.mlflow.agent.bootstrap;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link SpanSink} for tests: keeps the roots that start and the spans that end, in order, from
 * any thread; an advice failure fails the test. Shared through the bootstrap test-jar.
 */
public final class RecordingSink implements SpanSink {

  private final List<Span> roots = new CopyOnWriteArrayList<>();
  private final List<Span> ended = new CopyOnWriteArrayList<>();

  /** A new sink installed as the bridge's, every trace sampled; {@link #uninstall()} after. */
  public static RecordingSink install() {
    RecordingSink sink = new RecordingSink();
    Tracing.install(sink, 1.0);
    return sink;
  }

  /** Leaves the bridge with no sink, as a test found it. */
  public static void uninstall() {
    Tracing.install(null, 1.0);
  }

  /** The roots started so far, oldest first. */
  public List<Span> roots() {
    return roots;
  }

  /** The spans ended so far, oldest first. */
  public List<Span> ended() {
    return ended;
  }

  @Override
  public void rootStarted(Span root) {
    roots.add(root);
  }

  @Override
  public void spanEnded(Span span) {
    ended.add(span);
  }

  @Override
  public void adviceFailed(Throwable error) {
    throw new AssertionError(error);
  }
}
