package org.mlflow.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class BridgeProxiesTest {

  @Test
  void proxiesMadeAtOnceByManyThreadsEachAnswerWithTheirOwnHandler() throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Object>> makers = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        String answer = "answer " + i;
        makers.add(() -> ((Supplier<?>) BridgeProxies.of(Supplier.class,
            (proxy, method, args) -> answer)).get());
      }
      List<Future<Object>> answers = threads.invokeAll(makers);
      for (int i = 0; i < answers.size(); i++) {
        assertEquals("answer " + i, answers.get(i).get());
      }
    } finally {
      threads.shutdownNow();
    }
  }
}
