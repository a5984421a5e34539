package org.mlflow.agent.bootstrap;

/**
 * The agent's side of the bridge. Every method is called on an application thread, so each must
 * return at once: never block, never throw.
 */
public interface SpanSink {

  /**
   * A root span the agent must know before it ends, so that it can close its trace if it never
   * ends: announced when the first span starts inside it, or when it leaves its thread to end
   * later (a stream, a future). A root with nothing inside it that ends where it started, the
   * common single call, is never announced: its end is all the agent needs.
   */
  void rootStarted(Span root);

  void spanEnded(Span span);

  /** Advice code threw; the library call went on untouched. */
  void adviceFailed(Throwable error);
}
