package org.mlflow.agent.benchmarks.micro;

import java.lang.management.ManagementFactory;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Bytes allocated by the benchmark thread itself per operation, over the measurement iterations.
 * {@code -prof gc} counts every thread's allocation, the consumer's included (the exporter's
 * rendering, the batch worker's span data); this counts what the application thread pays.
 * Printed at the end of the trial.
 */
@State(Scope.Thread)
public class AppThreadAllocation {

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /** Incremented by the benchmark method, once per operation. */
  public long operations;
  private long bytesAtIterationStart;
  private long measuredBytes;
  private long measuredOperations;
  private long allOperations;

  @Setup(Level.Iteration)
  public void startIteration() {
    operations = 0;
    bytesAtIterationStart = THREADS.getCurrentThreadAllocatedBytes();
  }

  @TearDown(Level.Iteration)
  public void endIteration(IterationParams iteration) {
    long bytes = THREADS.getCurrentThreadAllocatedBytes() - bytesAtIterationStart;
    allOperations += operations;
    if (iteration.getType() == IterationType.MEASUREMENT) {
      measuredBytes += bytes;
      measuredOperations += operations;
    }
  }

  @TearDown(Level.Trial)
  public void report(BenchmarkParams benchmark) {
    System.out.printf("[benchmark] %s: the benchmark thread allocated %.1f B/op (%d calls in "
            + "the trial)%n", benchmark.getBenchmark().replaceAll(".*\\.", ""),
        measuredOperations == 0 ? 0.0 : (double) measuredBytes / measuredOperations,
        allOperations);
  }
}
