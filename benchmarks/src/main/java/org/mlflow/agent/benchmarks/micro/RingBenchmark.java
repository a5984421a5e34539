package org.mlflow.agent.benchmarks.micro;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.MpscArrayQueue;
import org.mlflow.agent.core.SpanRing;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The agent's {@link SpanRing} beside JCTools' {@link MpscArrayQueue} of the same capacity, in the
 * same run: 1, 2 and 4 producer threads offering while one consumer drains in batches (the
 * exporter's pattern), and offers to a full queue with no consumer (the drop path).
 *
 * <p>Both drop the offered element when full, so a producer's throughput mixes kept and dropped
 * offers. The numbers to compare are the aux counters: {@code transferred} (elements the consumer
 * took out, per second: the real hand-off rate) and {@code offered} / {@code dropped} (per
 * producer). Producer threads beyond the machine's cores measure the scheduler as much as the ring.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class RingBenchmark {

  /** What the exporter takes per batch. */
  static final int DRAIN_BATCH = 256;
  static final Object ELEMENT = new Object();

  @State(Scope.Group)
  public static class Ours {
    @Param("8192")
    int capacity;
    SpanRing<Object> ring;
    final Consumer<Object> discard = element -> {};

    @Setup(Level.Iteration)
    public void create() {
      ring = new SpanRing<>(capacity);
    }
  }

  @State(Scope.Group)
  public static class Jctools {
    @Param("8192")
    int capacity;
    MpscArrayQueue<Object> queue;
    final MessagePassingQueue.Consumer<Object> discard = element -> {};

    @Setup(Level.Iteration)
    public void create() {
      queue = new MpscArrayQueue<>(capacity);
    }
  }

  /** Reported per second beside the primary score. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class ProducerCounts {
    public long offered;
    public long dropped;

    @Setup(Level.Iteration)
    public void reset() {
      offered = 0;
      dropped = 0;
    }
  }

  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class ConsumerCounts {
    public long transferred;

    @Setup(Level.Iteration)
    public void reset() {
      transferred = 0;
    }
  }

  @State(Scope.Benchmark)
  public static class FullOurs {
    @Param("8192")
    int capacity;
    SpanRing<Object> ring;

    @Setup(Level.Trial)
    public void fill() {
      ring = new SpanRing<>(capacity);
      for (int i = 0; i < capacity; i++) {
        ring.offer(ELEMENT);
      }
    }
  }

  @State(Scope.Benchmark)
  public static class FullJctools {
    @Param("8192")
    int capacity;
    MpscArrayQueue<Object> queue;
    final LongAdder dropped = new LongAdder();

    @Setup(Level.Trial)
    public void fill() {
      queue = new MpscArrayQueue<>(capacity);
      while (queue.offer(ELEMENT)) {
        // until full
      }
    }
  }

  // --- 1 producer -------------------------------------------------------------------------

  @Benchmark
  @Group("ours1p")
  @GroupThreads(1)
  public long ours1pOffer(Ours state, ProducerCounts counts) {
    return offer(state, counts);
  }

  @Benchmark
  @Group("ours1p")
  @GroupThreads(1)
  public int ours1pDrain(Ours state, ConsumerCounts counts) {
    return drain(state, counts);
  }

  @Benchmark
  @Group("jctools1p")
  @GroupThreads(1)
  public boolean jctools1pOffer(Jctools state, ProducerCounts counts) {
    return offer(state, counts);
  }

  @Benchmark
  @Group("jctools1p")
  @GroupThreads(1)
  public int jctools1pDrain(Jctools state, ConsumerCounts counts) {
    return drain(state, counts);
  }

  // --- 2 producers ------------------------------------------------------------------------

  @Benchmark
  @Group("ours2p")
  @GroupThreads(2)
  public long ours2pOffer(Ours state, ProducerCounts counts) {
    return offer(state, counts);
  }

  @Benchmark
  @Group("ours2p")
  @GroupThreads(1)
  public int ours2pDrain(Ours state, ConsumerCounts counts) {
    return drain(state, counts);
  }

  @Benchmark
  @Group("jctools2p")
  @GroupThreads(2)
  public boolean jctools2pOffer(Jctools state, ProducerCounts counts) {
    return offer(state, counts);
  }

  @Benchmark
  @Group("jctools2p")
  @GroupThreads(1)
  public int jctools2pDrain(Jctools state, ConsumerCounts counts) {
    return drain(state, counts);
  }

  // --- 4 producers ------------------------------------------------------------------------

  @Benchmark
  @Group("ours4p")
  @GroupThreads(4)
  public long ours4pOffer(Ours state, ProducerCounts counts) {
    return offer(state, counts);
  }

  @Benchmark
  @Group("ours4p")
  @GroupThreads(1)
  public int ours4pDrain(Ours state, ConsumerCounts counts) {
    return drain(state, counts);
  }

  @Benchmark
  @Group("jctools4p")
  @GroupThreads(4)
  public boolean jctools4pOffer(Jctools state, ProducerCounts counts) {
    return offer(state, counts);
  }

  @Benchmark
  @Group("jctools4p")
  @GroupThreads(1)
  public int jctools4pDrain(Jctools state, ConsumerCounts counts) {
    return drain(state, counts);
  }

  // --- full: the drop path ----------------------------------------------------------------

  @Benchmark
  public long oursFullDrop(FullOurs state) {
    return state.ring.offer(ELEMENT);
  }

  @Benchmark
  public boolean jctoolsFullDrop(FullJctools state) {
    return state.queue.offer(ELEMENT);
  }

  /**
   * JCTools' drop path with the count the agent must keep: a refused offer counted in a
   * {@code LongAdder}, as {@code SpanRing} counts its drops. The like-for-like peer of
   * {@link #oursFullDrop}; {@link #jctoolsFullDrop} is the queue alone.
   */
  @Benchmark
  public boolean jctoolsFullDropCounted(FullJctools state) {
    boolean kept = state.queue.offer(ELEMENT);
    if (!kept) {
      state.dropped.increment();
    }
    return kept;
  }

  private static long offer(Ours state, ProducerCounts counts) {
    long position = state.ring.offer(ELEMENT);
    if (position < 0) {
      counts.dropped++;
    } else {
      counts.offered++;
    }
    return position;
  }

  private static boolean offer(Jctools state, ProducerCounts counts) {
    boolean kept = state.queue.offer(ELEMENT);
    if (kept) {
      counts.offered++;
    } else {
      counts.dropped++;
    }
    return kept;
  }

  private static int drain(Ours state, ConsumerCounts counts) {
    int drained = state.ring.drain(state.discard, DRAIN_BATCH);
    counts.transferred += drained;
    return drained;
  }

  private static int drain(Jctools state, ConsumerCounts counts) {
    int drained = state.queue.drain(state.discard, DRAIN_BATCH);
    counts.transferred += drained;
    return drained;
  }
}
