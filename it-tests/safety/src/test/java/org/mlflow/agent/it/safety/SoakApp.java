package org.mlflow.agent.it.safety;

import com.openai.client.OpenAIClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Many callers making OpenAI chat calls for a while, then one line with how many calls were made
 * (each is one traced span) and how many of them failed: {@code calls: <n> failed: <m>}.
 *
 * <p>Arguments: seconds, platform threads, virtual threads (0 on a JDK without them).
 */
public final class SoakApp {

  private SoakApp() {}

  public static void main(String[] args) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[0]));
    int platformThreads = Integer.parseInt(args[1]);
    int virtualThreads = Integer.parseInt(args[2]);
    OpenAIClient client = CannedHttpClient.openAiClient();
    ChatCompletionCreateParams params = CannedHttpClient.chatCall("soak");
    LongAdder calls = new LongAdder();
    LongAdder failures = new LongAdder();
    AtomicReference<Throwable> firstFailure = new AtomicReference<>();
    Runnable caller = () -> {
      do { // at least one call, however long the SDK took to start
        calls.increment();
        try {
          client.chat().completions().create(params);
        } catch (RuntimeException | Error failure) {
          // A failed call is a traced call too (its span is an error); count it and go on.
          failures.increment();
          firstFailure.compareAndSet(null, failure);
        }
      } while (System.nanoTime() < deadline);
    };
    List<Thread> platform = new ArrayList<>();
    for (int i = 0; i < platformThreads; i++) {
      Thread thread = new Thread(caller, "soak-" + i);
      thread.start();
      platform.add(thread);
    }
    if (virtualThreads > 0) {
      // Compiled for Java 17: the virtual-thread executor of Java 21+ is looked up by name.
      ExecutorService virtual = (ExecutorService) Executors.class
          .getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
      for (int i = 0; i < virtualThreads; i++) {
        virtual.submit(caller);
      }
      virtual.shutdown();
      virtual.awaitTermination(1, TimeUnit.DAYS);
    }
    for (Thread thread : platform) {
      thread.join();
    }
    client.close();
    System.out.println("calls: " + calls.sum() + " failed: " + failures.sum());
    if (firstFailure.get() != null) {
      firstFailure.get().printStackTrace(System.out);
    }
  }
}
