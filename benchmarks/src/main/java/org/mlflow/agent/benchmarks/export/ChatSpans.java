package org.mlflow.agent.benchmarks.export;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.ObjectMappers;
import com.openai.models.ChatModel;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.mlflow.agent.benchmarks.payload.ChatPayloads;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.bootstrap.SpanSink;
import org.mlflow.agent.bootstrap.Tracing;
import org.mlflow.agent.core.ContentPolicy;
import org.mlflow.agent.core.SpanRenderer;
import org.mlflow.agent.core.TraceBuilder;
import org.mlflow.agent.export.JsonCodec;
import org.mlflow.agent.export.MlflowJson;
import org.mlflow.agent.integration.ContentRenderer;
import org.mlflow.agent.integration.openai.OpenAiIntegration;

/**
 * An OpenAI chat call as the agent records it: what the integration's advice on the SDK's
 * {@code WithRawResponseImpl.create} passes to {@code Tracing.start} (the SDK's own
 * {@code ChatCompletionCreateParams} and the service the call was made on, whose client options
 * the renderer reads for the provider) and the {@code ChatCompletion} the span ends with, with
 * {@code callBytes} of content (half request, half answer), under the content kind the OpenAI
 * integration renders blocking chat calls with. Recording goes through the real bridge, to
 * whatever span sink is installed. No call is made: the client only supplies the service.
 */
public final class ChatSpans {

  /** Lets the bridge record a span that goes nowhere. */
  private static final SpanSink NO_SINK = new SpanSink() {
    @Override
    public void rootStarted(Span root) {}

    @Override
    public void spanEnded(Span span) {}

    @Override
    public void adviceFailed(Throwable error) {
      throw new IllegalStateException(error);
    }
  };

  private final Map<String, ContentRenderer> renderers = new OpenAiIntegration().renderers();
  private final String contentKind = chatContentKind(renderers);
  private final Object[] request;
  private final ChatCompletion response;

  public ChatSpans(int callBytes) throws IOException {
    ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
        .model(ChatModel.GPT_4O_MINI)
        .addUserMessage(ChatPayloads.text(callBytes / 2))
        .build();
    OpenAIClient client = OpenAIOkHttpClient.builder()
        .baseUrl("http://127.0.0.1:9/v1")
        .apiKey("not-a-real-key")
        .build();
    request = new Object[] {params, client.chat().completions().withRawResponse()};
    response = ObjectMappers.jsonMapper()
        .readValue(ChatPayloads.completionJson(callBytes / 2), ChatCompletion.class);
  }

  /** The OpenAI integration's renderers, for the agent's {@code SpanRenderer}. */
  public Map<String, ContentRenderer> renderers() {
    return renderers;
  }

  /** One chat call, start and end, through {@code Tracing} to the installed span sink. */
  public Span record() {
    Span span = Tracing.start(contentKind, "Completions", "CHAT_MODEL", request);
    Tracing.end(span, response, null);
    return span;
  }

  /**
   * Fails unless a recorded call renders with the call's content (the OpenAI renderer read the
   * request and the answer): a benchmark of spans without content would measure nothing.
   */
  public void checkRendersWithContent() throws IOException {
    Tracing.install(NO_SINK, 1.0);
    Span span;
    try {
      span = record();
    } finally {
      Tracing.install(null, 1.0);
    }
    String trace = new String(JsonCodec.mapper().writeValueAsBytes(MlflowJson.traceFile(
        new TraceBuilder("0", Map.of()).build(List.of(
            new SpanRenderer(renderers, new ContentPolicy(true, 1_000_000)).render(span))))),
        StandardCharsets.UTF_8);
    if (!trace.contains("mlflow.spanInputs") || !trace.contains("mlflow.spanOutputs")
        || !trace.contains("\\\"openai\\\"")) {
      throw new IllegalStateException("the chat span was not rendered with its content: "
          + trace.substring(0, Math.min(2000, trace.length())));
    }
  }

  /** The blocking chat call's kind (the integration also has one for streamed chat calls). */
  private static String chatContentKind(Map<String, ContentRenderer> renderers) {
    List<String> chat = renderers.keySet().stream()
        .filter(kind -> kind.contains("chat") && !kind.contains("stream"))
        .collect(Collectors.toList());
    if (chat.size() != 1) {
      throw new IllegalStateException("expected one OpenAI blocking chat renderer, found "
          + renderers.keySet());
    }
    return chat.get(0);
  }
}
