package org.mlflow.agent.benchmarks.micro;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.mlflow.agent.benchmarks.export.ChatSpans;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.core.ContentPolicy;
import org.mlflow.agent.core.SpanRenderer;
import org.mlflow.agent.core.TraceBuilder;
import org.mlflow.agent.export.JsonCodec;
import org.mlflow.agent.export.MlflowJson;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * The exporter thread's work for one chat call, off the application thread: the OpenAI
 * integration's renderer reads the SDK's request and {@code ChatCompletion} through the SDK's own
 * Jackson, the {@link ContentPolicy} measures (and, past {@code maxContentChars}, cuts) inputs and
 * outputs, and the trace is built and its file's bytes streamed out, as the folder sink streams
 * them to disk (here they are counted and dropped). One operation is one call of {@code
 * callBytes} bytes of content; the report turns ops/s into MB/s.
 *
 * <p>{@code maxContentChars=1000000} is the agent's default (nothing is cut);
 * {@code maxContentChars=4096} cuts both sides of both sizes.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
@State(Scope.Benchmark)
public class RenderBenchmark {

  @Param({"10240", "1048576"})
  int callBytes;

  @Param({"1000000", "4096"})
  int maxContentChars;

  private Span span;
  private SpanRenderer renderer;
  private TraceBuilder traceBuilder;

  @Setup(Level.Trial)
  public void recordChatSpan() throws IOException {
    ChatSpans chat = new ChatSpans(callBytes);
    span = SpanCapture.record(chat);
    renderer = new SpanRenderer(chat.renderers(), new ContentPolicy(true, maxContentChars));
    traceBuilder = new TraceBuilder("0", Map.of());

    chat.checkRendersWithContent();
    long traceBytes = renderTrace();
    System.out.printf("[benchmark] a %d-byte call renders to a %d-byte trace file%n", callBytes,
        traceBytes);
  }

  @Benchmark
  public long renderChatTrace() throws IOException {
    return renderTrace();
  }

  /** The trace file's length: its bytes are streamed as the folder sink streams them to disk. */
  private long renderTrace() throws IOException {
    ByteCounter file = new ByteCounter();
    JsonCodec.writeTo(file,
        MlflowJson.traceFile(traceBuilder.build(List.of(renderer.render(span)))));
    return file.count;
  }

  /** Where the file's bytes go: counted, then dropped, as the disk would take them. */
  private static final class ByteCounter extends OutputStream {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      count += length;
    }
  }
}
