package org.mlflow.agent.integration.googlegenai;

import java.util.concurrent.CompletableFuture;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import org.mlflow.agent.bootstrap.CallArguments;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.bootstrap.StreamingCalls;
import org.mlflow.agent.bootstrap.Tracing;

/**
 * Inlined into {@code AsyncModels}' own implementations (SDK versions whose async calls do not run
 * the blocking ones on another thread): each span lasts until the returned future completes.
 */
public final class AsyncModelsAdvice {

  private AsyncModelsAdvice() {}

  /** {@code AsyncModels.generateContent(String, List, GenerateContentConfig)}. */
  public static final class GenerateContent {
    private GenerateContent() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Span enter(
        @Advice.Argument(0) Object model,
        @Advice.Argument(1) Object contents,
        @Advice.Argument(2) Object config) {
      return Tracing.start(GoogleGenAiIntegration.GENERATE_CONTENT, "AsyncModels.generateContent",
          "CHAT_MODEL", CallArguments.of(model, contents, config));
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(
        @Advice.Enter Span span,
        @Advice.Return CompletableFuture<?> response,
        @Advice.Thrown Throwable error) {
      if (error != null || response == null) {
        Tracing.end(span, null, error);
      } else {
        Tracing.endWhenDone(span, response);
      }
    }
  }

  /**
   * {@code AsyncModels.privateGenerateContent}, one request to the model: a step of the enclosing
   * {@code generateContent} span, as in {@link ModelsAdvice.ModelCall}. The automatic function
   * calling loop makes its later requests from the completion of the one before, on another
   * thread, all with the config it built for this one call: that config finds the call again. The
   * library continues from the returned future only once the step's span has ended.
   */
  public static final class ModelCall {
    private ModelCall() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Span enter(
        @Advice.Argument(0) Object model,
        @Advice.Argument(1) Object contents,
        @Advice.Argument(2) Object config) {
      return Tracing.startStep(GoogleGenAiIntegration.GENERATE_CONTENT,
          "AsyncModels.privateGenerateContent", "CHAT_MODEL",
          CallArguments.of(model, contents, config), config);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(
        @Advice.Enter Span span,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC)
            CompletableFuture<?> response,
        @Advice.Thrown Throwable error) {
      if (error != null || response == null) {
        Tracing.end(span, null, error);
      } else {
        response = Tracing.endBeforeContinuing(span, response);
      }
    }
  }

  /**
   * {@code AsyncModels.generateContentStream(String, List, GenerateContentConfig)}: the span stays
   * open while the stream the future yields is read.
   */
  public static final class GenerateContentStream {
    private GenerateContentStream() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Span enter(
        @Advice.Argument(0) Object model,
        @Advice.Argument(1) Object contents,
        @Advice.Argument(2) Object config) {
      return Tracing.start(GoogleGenAiIntegration.GENERATE_CONTENT_STREAM,
          "AsyncModels.generateContentStream", "CHAT_MODEL",
          CallArguments.of(model, contents, config));
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(
        @Advice.Enter Span span,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC)
            CompletableFuture<?> response,
        @Advice.Thrown Throwable error) {
      if (error != null || response == null) {
        Tracing.end(span, null, error);
      } else {
        response = StreamingCalls.observeIterableWhenDone(response, span);
      }
    }
  }

  /** {@code AsyncModels.embedContent(String, List|Content, EmbedContentConfig)}. */
  public static final class EmbedContent {
    private EmbedContent() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Span enter(
        @Advice.Argument(0) Object model,
        @Advice.Argument(1) Object contents,
        @Advice.Argument(2) Object config) {
      return Tracing.start(GoogleGenAiIntegration.EMBED_CONTENT, "AsyncModels.embedContent",
          "EMBEDDING", CallArguments.of(model, contents, config));
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(
        @Advice.Enter Span span,
        @Advice.Return CompletableFuture<?> response,
        @Advice.Thrown Throwable error) {
      if (error != null || response == null) {
        Tracing.end(span, null, error);
      } else {
        Tracing.endWhenDone(span, response);
      }
    }
  }
}
