package org.mlflow.agent.benchmarks.micro;

import com.openai.core.ObjectMappers;
import com.openai.models.ChatModel;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.mlflow.agent.benchmarks.payload.ChatPayloads;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.core.ContentPolicy;
import org.mlflow.agent.core.SpanRenderer;
import org.mlflow.agent.core.TraceBuilder;
import org.mlflow.agent.export.JsonCodec;
import org.mlflow.agent.export.MlflowJson;
import org.mlflow.agent.integration.ContentRenderer;
import org.mlflow.agent.integration.openai.OpenAiIntegration;
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
 * outputs, and the trace is built and serialized to the bytes of a trace file. One operation is
 * one call of {@code callBytes} bytes of content; the report turns ops/s into MB/s.
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
    ChatCompletionCreateParams request = ChatCompletionCreateParams.builder()
        .model(ChatModel.GPT_4O_MINI)
        .addUserMessage(ChatPayloads.text(callBytes / 2))
        .build();
    ChatCompletion response = ObjectMappers.jsonMapper()
        .readValue(ChatPayloads.completionJson(callBytes / 2), ChatCompletion.class);
    Map<String, ContentRenderer> renderers = new OpenAiIntegration().renderers();
    span = SpanCapture.record(chatContentKind(renderers), "Completions", "CHAT_MODEL", request,
        response);
    renderer = new SpanRenderer(renderers, new ContentPolicy(true, maxContentChars));
    traceBuilder = new TraceBuilder("0", Map.of());

    String trace = new String(renderTrace(), StandardCharsets.UTF_8);
    if (!trace.contains("mlflow.spanInputs") || !trace.contains("mlflow.spanOutputs")
        || !trace.contains("\\\"openai\\\"")) {
      throw new IllegalStateException("the chat span was not rendered with its content: "
          + trace.substring(0, Math.min(2000, trace.length())));
    }
    System.out.printf("[benchmark] a %d-byte call renders to a %d-byte trace file%n", callBytes,
        trace.length());
  }

  @Benchmark
  public byte[] renderChatTrace() throws IOException {
    return renderTrace();
  }

  private byte[] renderTrace() throws IOException {
    return JsonCodec.mapper().writeValueAsBytes(
        MlflowJson.traceFile(traceBuilder.build(List.of(renderer.render(span)))));
  }

  /** The content kind the OpenAI integration renders chat completions under. */
  private static String chatContentKind(Map<String, ContentRenderer> renderers) {
    List<String> chat = renderers.keySet().stream()
        .filter(kind -> kind.contains("chat"))
        .collect(Collectors.toList());
    if (chat.size() != 1) {
      throw new IllegalStateException("expected one OpenAI chat renderer, found " + chat);
    }
    return chat.get(0);
  }
}
