package org.mlflow.agent.benchmarks.micro;

import static org.mlflow.agent.benchmarks.micro.AppPathBenchmark.CONTENT_KIND;
import static org.mlflow.agent.benchmarks.micro.AppPathBenchmark.REQUEST;
import static org.mlflow.agent.benchmarks.micro.AppPathBenchmark.RESPONSE;
import static org.mlflow.agent.benchmarks.micro.AppPathBenchmark.SPAN_NAME;
import static org.mlflow.agent.benchmarks.micro.AppPathBenchmark.SPAN_TYPE;

import java.util.concurrent.TimeUnit;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.bootstrap.SpanSink;
import org.mlflow.agent.bootstrap.Tracing;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What woven advice costs a call that is not recorded: the trace is not sampled
 * ({@code MLFLOW_TRACE_SAMPLING_RATIO=0}), or the bridge has no agent behind it. Both should be a
 * few nanoseconds and allocate nothing ({@code -prof gc}); {@link #baseline} is the benchmark
 * loop alone, measured in the same run, to subtract.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class UnrecordedCallBenchmark {

  @State(Scope.Benchmark)
  public static class SampledOut {
    @Setup(Level.Trial)
    public void install() {
      Tracing.install(new FailingSink(), 0.0);
    }

    @TearDown(Level.Trial)
    public void uninstall() {
      Tracing.install(null, 1.0);
    }
  }

  @State(Scope.Benchmark)
  public static class NotInstalled {
    @Setup(Level.Trial)
    public void uninstall() {
      Tracing.install(null, 1.0);
    }
  }

  @Benchmark
  public Object baseline() {
    return REQUEST;
  }

  @Benchmark
  public Span unsampled(SampledOut state) {
    Span span = Tracing.start(CONTENT_KIND, SPAN_NAME, SPAN_TYPE, REQUEST);
    Tracing.end(span, RESPONSE, null);
    return span;
  }

  @Benchmark
  public Span notInstalled(NotInstalled state) {
    Span span = Tracing.start(CONTENT_KIND, SPAN_NAME, SPAN_TYPE, REQUEST);
    Tracing.end(span, RESPONSE, null);
    return span;
  }

  /** No span may reach the agent when nothing is sampled: if one does, the run fails. */
  private static final class FailingSink implements SpanSink {
    @Override
    public void rootStarted(Span root) {
      throw new IllegalStateException("an unsampled trace was recorded");
    }

    @Override
    public void spanEnded(Span span) {
      throw new IllegalStateException("an unsampled span was recorded");
    }

    @Override
    public void adviceFailed(Throwable error) {}
  }
}
