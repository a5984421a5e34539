package org.mlflow.agent.it.safety;

import com.openai.client.OpenAIClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Traced OpenAI chat calls (one trace each, the provider canned in memory) made at a steady pace
 * on app threads, then what the app saw: the calls' latency and throughput, and its heap after a
 * GC.
 *
 * <p>Prints {@code calls <n> p50_us <a> p99_us <b> max_us <c> busy_calls_per_s <d>
 * paced_calls_per_s <e> heap_after_gc_mb <f>}. The latency figures leave out each thread's first
 * {@value #WARM_UP} calls (class loading and JIT).
 *
 * <p>Arguments: calls per thread, threads, milliseconds between a thread's calls.
 */
public final class PacedCallsApp {

  static final int WARM_UP = 5;

  private PacedCallsApp() {}

  public static void main(String[] args) throws Exception {
    int callsPerThread = Integer.parseInt(args[0]);
    int threads = Integer.parseInt(args[1]);
    long paceNanos = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[2]));
    OpenAIClient client = CannedHttpClient.openAiClient();
    ChatCompletionCreateParams params = CannedHttpClient.chatCall("fault matrix");
    long[][] latencies = new long[threads][callsPerThread];
    Thread[] callers = new Thread[threads];
    long started = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      long[] mine = latencies[t];
      callers[t] = new Thread(() -> {
        long next = System.nanoTime();
        for (int i = 0; i < mine.length; i++) {
          long wait = next - System.nanoTime();
          if (wait > 0) {
            sleepNanos(wait);
          }
          long before = System.nanoTime();
          client.chat().completions().create(params);
          mine[i] = System.nanoTime() - before;
          next += paceNanos; // a steady schedule: a slow call does not shift the later ones
        }
      }, "caller-" + t);
      callers[t].start();
    }
    for (Thread caller : callers) {
      caller.join();
    }
    long elapsed = System.nanoTime() - started;
    client.close();
    long[] measured = Arrays.stream(latencies)
        .flatMapToLong(each -> Arrays.stream(each).skip(Math.min(WARM_UP, each.length - 1)))
        .sorted().toArray();
    long busy = Arrays.stream(measured).sum();
    int calls = callsPerThread * threads;
    System.gc();
    Runtime runtime = Runtime.getRuntime();
    System.out.printf("calls %d p50_us %d p99_us %d max_us %d busy_calls_per_s %d"
            + " paced_calls_per_s %d heap_after_gc_mb %d%n", calls,
        percentile(measured, 50) / 1000, percentile(measured, 99) / 1000,
        measured[measured.length - 1] / 1000,
        busy == 0 ? 0 : measured.length * TimeUnit.SECONDS.toNanos(1) / busy,
        calls * TimeUnit.SECONDS.toNanos(1) / elapsed,
        (runtime.totalMemory() - runtime.freeMemory()) >> 20);
  }

  private static long percentile(long[] sorted, int percent) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * percent / 100.0) - 1)];
  }

  private static void sleepNanos(long nanos) {
    try {
      TimeUnit.NANOSECONDS.sleep(nanos);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
