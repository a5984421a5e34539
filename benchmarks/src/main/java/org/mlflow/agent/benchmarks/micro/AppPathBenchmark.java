package org.mlflow.agent.benchmarks.micro;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.bootstrap.SpanSink;
import org.mlflow.agent.bootstrap.Tracing;
import org.mlflow.agent.core.AgentStats;
import org.mlflow.agent.core.ContentPolicy;
import org.mlflow.agent.core.Exporter;
import org.mlflow.agent.core.SpanRenderer;
import org.mlflow.agent.core.SpanRing;
import org.mlflow.agent.core.TraceAssembler;
import org.mlflow.agent.core.TraceBuilder;
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
 * What one traced call costs the application thread: {@code Tracing.start} + {@code Tracing.end}
 * of a root span whose request and response are kept by reference, as woven advice does, beside
 * the OpenTelemetry SDK's span start + end through its {@code BatchSpanProcessor}, in the same
 * run. Run with {@code -prof gc}: {@code gc.alloc.rate.norm} counts every thread's allocation per
 * call (consumers included); {@link AppThreadAllocation} prints the benchmark thread's own.
 *
 * <ul>
 *   <li>{@link #mlflowRingOnly}: the app-thread path proper. The spans go into the agent's
 *       {@link SpanRing}s, and a consumer thread takes them out and does nothing else, so it always
 *       keeps up and every span is kept (the costlier path for the caller).
 *   <li>{@link #mlflow}: the agent's real {@link Exporter} as the sink, rendering and assembling
 *       every trace for a sink that ships nothing. A benchmark loop ends spans far faster than any
 *       application and than the exporter assembles traces, so its ring is full most of the time
 *       and most spans take the drop path; the trial prints how many were kept.
 *   <li>{@link #otel}: the peer, as the issue states it: span start + end, the batch processor's
 *       worker with an exporter that ships nothing (it drops silently when its queue is full; the
 *       trial prints how many spans reached the exporter).
 *   <li>{@link #otelWithScope}: the same, with the span made current around the call, as
 *       OpenTelemetry instrumentation does and as {@code Tracing.start} does.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class AppPathBenchmark {

  /** The agent's default {@code MLFLOW_AGENT_RING_SIZE}. */
  static final int RING_SIZE = 8192;
  static final String CONTENT_KIND = "benchmark.chat";
  static final String SPAN_NAME = "Completions";
  static final String SPAN_TYPE = "CHAT_MODEL";

  /** Stand-ins for a call's request and response: only their references are recorded. */
  static final Object REQUEST = new Object();
  static final Object RESPONSE = new Object();

  @State(Scope.Benchmark)
  public static class MlflowExporter {
    private CountingTraceSink sink;
    private AgentStats stats;
    private Exporter exporter;

    @Setup(Level.Trial)
    public void install() {
      sink = new CountingTraceSink();
      stats = new AgentStats();
      TraceAssembler assembler = new TraceAssembler(
          new SpanRenderer(Map.of(), ContentPolicy.keepAll()),
          new TraceBuilder("0", Map.of()),
          sink, stats, 300, RING_SIZE * 4);
      exporter = new Exporter(RING_SIZE, assembler, sink, stats);
      exporter.start();
      Tracing.install(exporter, 1.0);
    }

    @TearDown(Level.Trial)
    public void uninstall() {
      Tracing.install(null, 1.0);
      exporter.shutdown(10_000);
      long dropped = stats.spansDropped().getOrDefault(AgentStats.DROP_RING_FULL, 0L);
      printKept("mlflow exporter", sink.traces(), dropped);
    }
  }

  @State(Scope.Benchmark)
  public static class MlflowRingOnly {
    private DrainingSink sink;

    @Setup(Level.Trial)
    public void install() {
      sink = new DrainingSink(RING_SIZE);
      Tracing.install(sink, 1.0);
    }

    @TearDown(Level.Trial)
    public void uninstall() throws InterruptedException {
      Tracing.install(null, 1.0);
      sink.stop();
      printKept("mlflow ring only", sink.drained.sum(), sink.ended.dropped());
    }
  }

  @State(Scope.Benchmark)
  public static class OtelBatch {
    private CountingSpanExporter exporter;
    private SdkTracerProvider provider;
    private Tracer tracer;

    @Setup(Level.Trial)
    public void install() {
      exporter = new CountingSpanExporter();
      provider = SdkTracerProvider.builder()
          .setSampler(Sampler.alwaysOn())
          .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
          .build();
      tracer = provider.get("benchmark");
    }

    @TearDown(Level.Trial)
    public void uninstall() {
      provider.shutdown().join(10, TimeUnit.SECONDS);
      // The batch processor drops silently when its queue is full; what reached the exporter is
      // what was kept.
      System.out.println("[benchmark] otel batch: " + exporter.spans.sum()
          + " spans reached the exporter");
    }

    io.opentelemetry.api.trace.Span startSpan() {
      return tracer.spanBuilder(SPAN_NAME).setSpanKind(SpanKind.CLIENT).startSpan();
    }
  }

  @Benchmark
  public Span mlflow(MlflowExporter state, AppThreadAllocation calls) {
    Span span = Tracing.start(CONTENT_KIND, SPAN_NAME, SPAN_TYPE, REQUEST);
    Tracing.end(span, RESPONSE, null);
    calls.operations++;
    return span;
  }

  @Benchmark
  public Span mlflowRingOnly(MlflowRingOnly state, AppThreadAllocation calls) {
    Span span = Tracing.start(CONTENT_KIND, SPAN_NAME, SPAN_TYPE, REQUEST);
    Tracing.end(span, RESPONSE, null);
    calls.operations++;
    return span;
  }

  @Benchmark
  public io.opentelemetry.api.trace.Span otel(OtelBatch state, AppThreadAllocation calls) {
    io.opentelemetry.api.trace.Span span = state.startSpan();
    span.end();
    calls.operations++;
    return span;
  }

  @Benchmark
  public io.opentelemetry.api.trace.Span otelWithScope(OtelBatch state,
      AppThreadAllocation calls) {
    io.opentelemetry.api.trace.Span span = state.startSpan();
    try (io.opentelemetry.context.Scope ignored = span.makeCurrent()) {
      calls.operations++;
      return span;
    } finally {
      span.end();
    }
  }

  static void printKept(String what, long kept, long dropped) {
    long total = kept + dropped;
    System.out.printf("[benchmark] %s: %d spans kept, %d dropped by a full ring (%.1f%%)%n",
        what, kept, dropped, total == 0 ? 0.0 : 100.0 * dropped / total);
  }

  /** The agent's rings, emptied by a consumer that does nothing with the spans. */
  static final class DrainingSink implements SpanSink {
    final SpanRing<Span> ended;
    private final SpanRing<Span> startedRoots;
    final LongAdder drained = new LongAdder();
    private final Thread consumer;
    private volatile boolean running = true;
    /** Far shorter than the time the benchmark needs to fill the ring. */
    private static final long IDLE_PARK_NANOS = 10_000;

    DrainingSink(int ringSize) {
      ended = new SpanRing<>(ringSize);
      startedRoots = new SpanRing<>(ringSize);
      consumer = new Thread(this::drainUntilStopped, "benchmark-ring-consumer");
      consumer.setDaemon(true);
      consumer.start();
    }

    @Override
    public void rootStarted(Span root) {
      startedRoots.offer(root);
    }

    /** Never lowered here: the consumer keeps up. Read on every end, as the Exporter does. */
    private volatile long keepContentBefore = Long.MAX_VALUE;

    @Override
    public void spanEnded(Span span) {
      // Exporter.spanEnded's path: the content budget's check, the offer.
      if (ended.nextPosition() >= keepContentBefore) {
        span.dropContent();
      }
      ended.offer(span);
    }

    @Override
    public void adviceFailed(Throwable error) {}

    void stop() throws InterruptedException {
      running = false;
      consumer.join();
    }

    private void drainUntilStopped() {
      long count = 0;
      while (running) {
        startedRoots.drain(root -> {}, Integer.MAX_VALUE);
        int batch = ended.drain(span -> {}, 256);
        count += batch;
        if (batch == 0) {
          LockSupport.parkNanos(IDLE_PARK_NANOS);
        }
      }
      count += ended.drain(span -> {}, Integer.MAX_VALUE);
      drained.add(count);
    }
  }

  /** Ships nothing; counts what the batch processor handed over. */
  static final class CountingSpanExporter implements SpanExporter {
    final LongAdder spans = new LongAdder();

    @Override
    public CompletableResultCode export(Collection<SpanData> batch) {
      spans.add(batch.size());
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
