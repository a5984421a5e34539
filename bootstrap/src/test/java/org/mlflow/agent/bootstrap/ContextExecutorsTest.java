package org.mlflow.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ContextExecutorsTest {

  private final List<Span> ended = RecordingSink.install().ended();

  @AfterEach
  void uninstall() {
    RecordingSink.uninstall();
  }

  @Test
  void aTaskOnAnotherThreadRecordsUnderTheSpanCurrentWhereItWasSubmitted() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Executor carrying = ContextExecutors.carryingContext(pool);
      Span agent = Tracing.start("k", "Agent", "AGENT", "question");
      Span retrieved = CompletableFuture.supplyAsync(() -> {
        Span child = Tracing.start("k", "Retriever", "RETRIEVER", "query");
        Tracing.end(child, "documents", null);
        return child;
      }, carrying).get();
      Tracing.end(agent, "answer", null);

      assertEquals(agent.spanId(), retrieved.parentSpanId());
      assertEquals(agent.traceIdLow(), retrieved.traceIdLow());
      assertNull(pool.submit(Tracing::current).get(), "the pool thread's context is restored");
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void withNothingCurrentTheTaskRunsAsItIsAndWrappingIsIdempotent() throws Exception {
    List<Runnable> received = new ArrayList<>();
    Executor recording = received::add;
    Executor carrying = ContextExecutors.carryingContext(recording);
    Runnable task = () -> {};

    carrying.execute(task);

    assertSame(task, received.get(0));
    assertSame(carrying, ContextExecutors.carryingContext(carrying));
    assertNull(ContextExecutors.carryingContext(null));
  }
}
