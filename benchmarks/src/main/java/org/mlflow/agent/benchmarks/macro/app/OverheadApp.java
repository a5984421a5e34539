package org.mlflow.agent.benchmarks.macro.app;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import org.mlflow.agent.benchmarks.payload.ChatPayloads;

/**
 * The macro benchmark's application: an ordinary OpenAI SDK app, with no tracing code, making
 * blocking chat calls on several threads. The harness runs it in fresh JVMs without an agent, with
 * ours and with OpenTelemetry's, and compares what this prints on its last line:
 *
 * <pre>RESULT mainEpochMs=... firstCallEpochMs=... firstCallMainCpuNanos=... callsPerSecond=...</pre>
 *
 * <p>CPU time and allocation are read inside the JVM: per calling thread (what the application
 * thread pays) and for the whole process (agent threads included).
 *
 * <p>Usage: {@code java [-javaagent:...] -jar overhead-app.jar <baseUrl> <threads> <warmupCalls>
 * <calls> <callBytes>}, calls counted per thread; {@code callBytes} is split evenly between the
 * request's user message and the answer the fake server returns for this base URL.
 */
public final class OverheadApp {

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private OverheadApp() {}

  public static void main(String[] args) throws Exception {
    long mainEpochMs = System.currentTimeMillis();
    String baseUrl = args[0];
    int threads = Integer.parseInt(args[1]);
    int warmupCalls = Integer.parseInt(args[2]);
    int calls = Integer.parseInt(args[3]);
    int callBytes = Integer.parseInt(args[4]);

    OpenAIClient client = OpenAIOkHttpClient.builder()
        .baseUrl(baseUrl)
        .apiKey("not-a-real-key")
        .maxRetries(0)
        .build();
    ChatCompletionCreateParams request = ChatCompletionCreateParams.builder()
        .model(ChatPayloads.MODEL)
        .addUserMessage(ChatPayloads.text(callBytes / 2))
        .build();
    int answerChars = callBytes / 2;

    call(client, request, answerChars);
    long firstCallEpochMs = System.currentTimeMillis();
    // CPU spent until the first call returned, which wall time shows through much noise on a
    // small machine: this thread's (the agent's premain and any weaving it waited for included)
    // and the whole process's (the agent's background threads, the JIT and the collector too).
    long firstCallMainCpuNanos = THREADS.getCurrentThreadCpuTime();
    long firstCallProcessCpuNanos = OS.getProcessCpuTime();

    // Barrier actions run once every thread has arrived and before any is released: the window
    // opens when all callers have warmed up and closes while they are all still alive.
    ProcessWindow window = new ProcessWindow();
    CyclicBarrier go = new CyclicBarrier(threads + 1, window::open);
    CyclicBarrier done = new CyclicBarrier(threads + 1, window::close);
    List<Caller> callers = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      Caller caller = new Caller(client, request, answerChars, warmupCalls, calls, go, done);
      callers.add(caller);
      caller.thread.start();
    }
    go.await();
    done.await();
    for (Caller caller : callers) {
      caller.thread.join();
    }
    client.close();

    long totalCalls = (long) threads * calls;
    long[] latencies = new long[(int) totalCalls];
    long appCpuNanos = 0;
    long appAllocated = 0;
    for (int i = 0; i < callers.size(); i++) {
      Caller caller = callers.get(i);
      System.arraycopy(caller.latencies, 0, latencies, i * calls, calls);
      appCpuNanos += caller.cpuNanos;
      appAllocated += caller.allocatedBytes;
    }
    Arrays.sort(latencies);

    Map<String, Object> result = new LinkedHashMap<>();
    result.put("jvmStartEpochMs", ManagementFactory.getRuntimeMXBean().getStartTime());
    result.put("mainEpochMs", mainEpochMs);
    result.put("firstCallEpochMs", firstCallEpochMs);
    result.put("firstCallMainCpuNanos", firstCallMainCpuNanos);
    result.put("firstCallProcessCpuNanos", firstCallProcessCpuNanos);
    result.put("calls", totalCalls);
    result.put("callsPerSecond", totalCalls * 1e9 / window.wallNanos);
    result.put("p50Nanos", percentile(latencies, 0.50));
    result.put("p99Nanos", percentile(latencies, 0.99));
    result.put("appCpuNanosPerCall", appCpuNanos / totalCalls);
    result.put("processCpuNanosPerCall", window.cpuNanos / totalCalls);
    result.put("appAllocatedBytesPerCall", appAllocated / totalCalls);
    result.put("processAllocatedBytesPerCall", window.allocatedBytes / totalCalls);
    StringBuilder line = new StringBuilder("RESULT");
    result.forEach((key, value) -> line.append(' ').append(key).append('=').append(value));
    System.out.println(line);
  }

  private static void call(OpenAIClient client, ChatCompletionCreateParams request,
      int answerChars) {
    ChatCompletion completion = client.chat().completions().create(request);
    int received = completion.choices().get(0).message().content().orElse("").length();
    if (received != answerChars) {
      throw new IllegalStateException("expected an answer of " + answerChars + " chars, got "
          + received);
    }
  }

  /** The whole process over the measured calls: wall time, CPU time, allocation. */
  private static final class ProcessWindow {
    private long startNanos;
    private long cpuNanosAtStart;
    private final Map<Long, Long> allocatedAtStart = new HashMap<>();
    long wallNanos;
    long cpuNanos;
    long allocatedBytes;

    void open() {
      long[] ids = THREADS.getAllThreadIds();
      long[] allocated = THREADS.getThreadAllocatedBytes(ids);
      for (int i = 0; i < ids.length; i++) {
        allocatedAtStart.put(ids[i], Math.max(0, allocated[i]));
      }
      cpuNanosAtStart = OS.getProcessCpuTime();
      startNanos = System.nanoTime();
    }

    /** Threads that ended inside the window are missed; the agents' threads live on. */
    void close() {
      wallNanos = System.nanoTime() - startNanos;
      cpuNanos = OS.getProcessCpuTime() - cpuNanosAtStart;
      long[] ids = THREADS.getAllThreadIds();
      long[] allocated = THREADS.getThreadAllocatedBytes(ids);
      for (int i = 0; i < ids.length; i++) {
        if (allocated[i] >= 0) {
          allocatedBytes += allocated[i] - allocatedAtStart.getOrDefault(ids[i], 0L);
        }
      }
    }
  }

  private static long percentile(long[] sorted, double fraction) {
    int index = (int) Math.ceil(fraction * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  /** One application thread: warms up, waits for the others, then makes its measured calls. */
  private static final class Caller implements Runnable {
    final Thread thread;
    final long[] latencies;
    private final OpenAIClient client;
    private final ChatCompletionCreateParams request;
    private final int answerChars;
    private final int warmupCalls;
    private final CyclicBarrier go;
    private final CyclicBarrier done;
    long cpuNanos;
    long allocatedBytes;

    Caller(OpenAIClient client, ChatCompletionCreateParams request, int answerChars,
        int warmupCalls, int calls, CyclicBarrier go, CyclicBarrier done) {
      this.client = client;
      this.request = request;
      this.answerChars = answerChars;
      this.warmupCalls = warmupCalls;
      this.latencies = new long[calls];
      this.go = go;
      this.done = done;
      this.thread = new Thread(this, "caller");
    }

    @Override
    public void run() {
      try {
        for (int i = 0; i < warmupCalls; i++) {
          call(client, request, answerChars);
        }
        go.await();
        long cpuBefore = THREADS.getCurrentThreadCpuTime();
        long allocatedBefore = THREADS.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < latencies.length; i++) {
          long begin = System.nanoTime();
          call(client, request, answerChars);
          latencies[i] = System.nanoTime() - begin;
        }
        cpuNanos = THREADS.getCurrentThreadCpuTime() - cpuBefore;
        allocatedBytes = THREADS.getCurrentThreadAllocatedBytes() - allocatedBefore;
        done.await();
      } catch (Throwable callFailed) {
        // A run with a failed call measures nothing: say why and end it (the harness sees the
        // exit code), rather than leave the other threads waiting at a barrier.
        callFailed.printStackTrace();
        System.exit(2);
      }
    }
  }
}
