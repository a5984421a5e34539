package org.mlflow.agent.bootstrap;

import java.util.concurrent.Executor;

/**
 * Executors that carry the submitting thread's current span into the tasks they run, for a
 * library that hands part of a traced call to its own executor (LangChain4j retrieving from
 * several retrievers at once): the spans the task records keep their real parent. Tasks, their
 * order, their threads and their failures are those of the wrapped executor.
 */
public final class ContextExecutors {

  private ContextExecutors() {}

  /** {@code executor}, seen through; null stays null, and a wrapped one is not wrapped twice. */
  public static Executor carryingContext(Executor executor) {
    if (executor == null || executor instanceof ContextCarryingExecutor) {
      return executor;
    }
    return new ContextCarryingExecutor(executor);
  }

  private static final class ContextCarryingExecutor implements Executor {
    private final Executor delegate;

    ContextCarryingExecutor(Executor delegate) {
      this.delegate = delegate;
    }

    @Override
    public void execute(Runnable task) {
      Span parent = Tracing.current();
      delegate.execute(parent == null ? task : () -> Tracing.runWithin(parent, task));
    }

    @Override
    public String toString() {
      return delegate.toString();
    }
  }
}
