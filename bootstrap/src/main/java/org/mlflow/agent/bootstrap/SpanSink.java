package org.mlflow.agent.bootstrap;

/**
 * The agent's side of the bridge. Every method is called on an application thread, so each must
 * return at once: never block, never throw.
 */
public interface SpanSink {

  /** A new trace began with this root span; lets the agent close it if it never ends. */
  void rootStarted(Span root);

  void spanEnded(Span span);

  /** Advice code threw; the library call went on untouched. */
  void adviceFailed(Throwable error);
}
