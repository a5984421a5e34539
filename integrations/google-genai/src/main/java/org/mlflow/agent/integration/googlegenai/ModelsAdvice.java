package org.mlflow.agent.integration.googlegenai;

import net.bytebuddy.asm.Advice;
import org.mlflow.agent.bootstrap.CallArguments;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.bootstrap.StreamingCalls;
import org.mlflow.agent.bootstrap.Tracing;

/** Inlined into the blocking {@code Models} methods; each keeps its arguments as the request. */
public final class ModelsAdvice {

  private ModelsAdvice() {}

  /**
   * {@code generateContent(String, List, GenerateContentConfig)}, which the other overloads and
   * {@code Chat.sendMessage} reach: one span per public call, and the parent of the model calls
   * when the SDK's automatic function calling loop makes several ({@link ModelCall}).
   */
  public static final class GenerateContent {
    private GenerateContent() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Span enter(
        @Advice.Argument(0) Object model,
        @Advice.Argument(1) Object contents,
        @Advice.Argument(2) Object config) {
      return Tracing.start(GoogleGenAiIntegration.GENERATE_CONTENT, "Models.generateContent",
          "CHAT_MODEL", CallArguments.of(model, contents, config));
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(
        @Advice.Enter Span span,
        @Advice.Return Object response,
        @Advice.Thrown Throwable error) {
      Tracing.end(span, response, error);
    }
  }

  /**
   * {@code privateGenerateContent}, one request to the model: a step of the enclosing {@code
   * generateContent} span. A call that makes one request stays one span; a tool loop that makes
   * several gets one child span per request.
   */
  public static final class ModelCall {
    private ModelCall() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Span enter(
        @Advice.Argument(0) Object model,
        @Advice.Argument(1) Object contents,
        @Advice.Argument(2) Object config) {
      return Tracing.startStep(GoogleGenAiIntegration.GENERATE_CONTENT,
          "Models.privateGenerateContent", "CHAT_MODEL",
          CallArguments.of(model, contents, config));
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(
        @Advice.Enter Span span,
        @Advice.Return Object response,
        @Advice.Thrown Throwable error) {
      Tracing.end(span, response, error);
    }
  }

  /**
   * {@code generateContentStream(String, List, GenerateContentConfig)}: the span stays open while
   * the returned {@code ResponseStream} is read ({@link ResponseStreamAdvice}).
   */
  public static final class GenerateContentStream {
    private GenerateContentStream() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Span enter(
        @Advice.Argument(0) Object model,
        @Advice.Argument(1) Object contents,
        @Advice.Argument(2) Object config) {
      return Tracing.start(GoogleGenAiIntegration.GENERATE_CONTENT_STREAM,
          "Models.generateContentStream", "CHAT_MODEL", CallArguments.of(model, contents, config));
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(
        @Advice.Enter Span span,
        @Advice.Return Object stream,
        @Advice.Thrown Throwable error) {
      if (error != null) {
        Tracing.end(span, null, error);
      } else {
        StreamingCalls.observeIterable(stream, span);
      }
    }
  }

  /**
   * {@code embedContent(String, List|Content, EmbedContentConfig)}; the single-text overload
   * delegates to the list one, so each call is one span.
   */
  public static final class EmbedContent {
    private EmbedContent() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Span enter(
        @Advice.Argument(0) Object model,
        @Advice.Argument(1) Object contents,
        @Advice.Argument(2) Object config) {
      return Tracing.start(GoogleGenAiIntegration.EMBED_CONTENT, "Models.embedContent",
          "EMBEDDING", CallArguments.of(model, contents, config));
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(
        @Advice.Enter Span span,
        @Advice.Return Object response,
        @Advice.Thrown Throwable error) {
      Tracing.end(span, response, error);
    }
  }
}
