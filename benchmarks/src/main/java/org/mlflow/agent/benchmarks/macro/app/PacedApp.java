package org.mlflow.agent.benchmarks.macro.app;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.mlflow.agent.benchmarks.payload.ChatPayloads;

/**
 * The memory benchmark's application: an ordinary OpenAI SDK app making chat calls at a fixed
 * rate on several threads for a fixed time, which every few seconds runs a full GC and notes how
 * much heap is live right after it. The harness runs it without and with the agent (exporting to
 * a server that is down) and subtracts.
 *
 * <p>The live heap is read from the full collection's own record ({@code GcInfo}: the heap
 * pools' usage at the end of the pause, before any thread allocates again), not from
 * {@code MemoryMXBean} after {@code System.gc()} returns, which would also count what the calling
 * threads allocated since. {@code System.gc()} is a full, compacting collection with the
 * collectors the harness uses (G1 without {@code -XX:+ExplicitGCInvokesConcurrent}), so what is
 * left is what is reachable.
 *
 * <p>Prints {@code HEAP <seconds> <live bytes>} per collection and last
 * {@code RESULT calls=... callsPerSecond=... maxLiveHeapBytes=... lastLiveHeapBytes=...}.
 *
 * <p>Usage: {@code java [-javaagent:...] -cp overhead-app.jar
 * org.mlflow.agent.benchmarks.macro.app.PacedApp <baseUrl> <threads> <callsPerSecond>
 * <durationSeconds> <callBytes> <gcIntervalSeconds>}.
 */
public final class PacedApp {

  private PacedApp() {}

  public static void main(String[] args) throws Exception {
    String baseUrl = args[0];
    int threads = Integer.parseInt(args[1]);
    double callsPerSecond = Double.parseDouble(args[2]);
    long durationNanos = (long) (Double.parseDouble(args[3]) * 1e9);
    int callBytes = Integer.parseInt(args[4]);
    long gcIntervalNanos = (long) (Double.parseDouble(args[5]) * 1e9);

    OpenAIClient client = OpenAIOkHttpClient.builder()
        .baseUrl(baseUrl)
        .apiKey("not-a-real-key")
        .maxRetries(0)
        .build();
    ChatCompletionCreateParams request = ChatCompletionCreateParams.builder()
        .model(ChatPayloads.MODEL)
        .addUserMessage(ChatPayloads.text(callBytes / 2))
        .build();
    AtomicLong calls = new AtomicLong();
    client.chat().completions().create(request);
    calls.incrementAndGet();

    LiveHeap liveHeap = new LiveHeap();
    List<Long> samples = new ArrayList<>();
    long start = System.nanoTime();
    long end = start + durationNanos;
    // Thread i calls at start + (k * threads + i) * interval: together, one call per interval.
    long intervalNanos = (long) (1e9 / callsPerSecond);
    List<Thread> callers = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      long firstCall = start + i * intervalNanos;
      long period = intervalNanos * threads;
      Thread caller = new Thread(() -> callAtRate(client, request, firstCall, period, end, calls),
          "caller");
      callers.add(caller);
      caller.start();
    }
    for (long nextGc = start + gcIntervalNanos; nextGc < end; nextGc += gcIntervalNanos) {
      LockSupport.parkNanos(nextGc - System.nanoTime());
      samples.add(printSample(liveHeap, start));
    }
    for (Thread caller : callers) {
      caller.join();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    // The last sample is taken with the callers stopped: what the agent still holds at the end.
    samples.add(printSample(liveHeap, start));
    client.close();
    System.out.println(String.format(Locale.ROOT,
        "RESULT calls=%d callsPerSecond=%.1f maxLiveHeapBytes=%d lastLiveHeapBytes=%d",
        calls.get(), (calls.get() - 1) / seconds,
        samples.stream().mapToLong(Long::longValue).max().orElse(-1),
        samples.get(samples.size() - 1)));
  }

  private static long printSample(LiveHeap liveHeap, long start) {
    long live = liveHeap.afterFullGc();
    System.out.println(String.format(Locale.ROOT, "HEAP %.1f %d",
        (System.nanoTime() - start) / 1e9, live));
    return live;
  }

  /** Calls on schedule; a call that starts late is made at once (the rate is caught up). */
  private static void callAtRate(OpenAIClient client, ChatCompletionCreateParams request,
      long firstCall, long period, long end, AtomicLong calls) {
    try {
      for (long next = firstCall; next < end; next += period) {
        long wait = next - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        client.chat().completions().create(request);
        calls.incrementAndGet();
      }
    } catch (Throwable callFailed) {
      callFailed.printStackTrace();
      System.exit(2);
    }
  }

  /** Runs a full GC and reads the heap it left, from the collection's own record. */
  static final class LiveHeap {
    private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(pool -> pool.getType() == MemoryType.HEAP)
        .map(MemoryPoolMXBean::getName)
        .collect(Collectors.toSet());
    private final List<GarbageCollectorMXBean> collectors =
        ManagementFactory.getGarbageCollectorMXBeans();

    long afterFullGc() {
      long[] countsBefore = collectors.stream()
          .mapToLong(GarbageCollectorMXBean::getCollectionCount).toArray();
      System.gc();
      // The full collection's record: a young collection may run meanwhile (the callers keep
      // allocating) and would leave the old generation uncollected.
      com.sun.management.GcInfo full = null;
      for (int i = 0; i < collectors.size(); i++) {
        GarbageCollectorMXBean collector = collectors.get(i);
        if (collector.getCollectionCount() != countsBefore[i] && isFullCollector(collector)) {
          full = ((com.sun.management.GarbageCollectorMXBean) collector).getLastGcInfo();
        }
      }
      if (full == null) {
        throw new IllegalStateException("System.gc() ran no full collection; run with G1,"
            + " Parallel or Serial GC and without -XX:+DisableExplicitGC or"
            + " -XX:+ExplicitGCInvokesConcurrent");
      }
      long live = 0;
      for (java.util.Map.Entry<String, MemoryUsage> pool :
          full.getMemoryUsageAfterGc().entrySet()) {
        if (heapPools.contains(pool.getKey())) {
          live += pool.getValue().getUsed();
        }
      }
      return live;
    }

    /** G1's "G1 Old Generation", Parallel's "PS MarkSweep", Serial's "MarkSweepCompact". */
    private static boolean isFullCollector(GarbageCollectorMXBean collector) {
      String name = collector.getName().toLowerCase(Locale.ROOT);
      return collector instanceof com.sun.management.GarbageCollectorMXBean
          && (name.contains("old") || name.contains("marksweep"));
    }
  }
}
