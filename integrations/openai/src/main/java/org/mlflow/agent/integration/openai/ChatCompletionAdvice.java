package org.mlflow.agent.integration.openai;

import java.util.concurrent.CompletableFuture;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.bootstrap.StreamingCalls;
import org.mlflow.agent.bootstrap.Tracing;

/**
 * Inlined into the chat completion services. Each keeps the call's params and the service (whose
 * client options say whether it is Azure) by reference: reading them happens later, off the
 * application thread. Advice is inlined, so each call form repeats its few lines.
 */
public final class ChatCompletionAdvice {

  private ChatCompletionAdvice() {}

  /** {@code ChatCompletionServiceImpl.create}: the span ends with the completion. */
  public static final class Create {
    private Create() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Span enter(@Advice.Argument(0) Object params, @Advice.This Object service) {
      return Tracing.start(OpenAiIntegration.CHAT_COMPLETION_CONTENT, "Completions", "CHAT_MODEL",
          new Object[] {params, service});
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Span span, @Advice.Return Object completion,
        @Advice.Thrown Throwable error) {
      Tracing.end(span, completion, error);
    }
  }

  /** {@code ChatCompletionServiceImpl.createStreaming}: the span ends with the stream. */
  public static final class CreateStreaming {
    private CreateStreaming() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Span enter(@Advice.Argument(0) Object params, @Advice.This Object service) {
      return Tracing.start(OpenAiIntegration.CHAT_COMPLETION_STREAM_CONTENT, "Completions",
          "CHAT_MODEL", new Object[] {params, service});
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Span span,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object stream,
        @Advice.Thrown Throwable error) {
      if (error != null) {
        Tracing.end(span, null, error);
      } else {
        stream = StreamingCalls.observeStreamResponse(stream,
            "com.openai.core.http.StreamResponse", span);
      }
    }
  }

  /** {@code ChatCompletionServiceAsyncImpl.create}: the span ends with the future. */
  public static final class CreateAsync {
    private CreateAsync() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Span enter(@Advice.Argument(0) Object params, @Advice.This Object service) {
      return Tracing.start(OpenAiIntegration.CHAT_COMPLETION_CONTENT, "Completions", "CHAT_MODEL",
          new Object[] {params, service});
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Span span, @Advice.Return CompletableFuture<?> future,
        @Advice.Thrown Throwable error) {
      if (error != null) {
        Tracing.end(span, null, error);
      } else {
        Tracing.endWhenDone(span, future);
      }
    }
  }

  /** {@code ChatCompletionServiceAsyncImpl.createStreaming}: the span ends with the stream. */
  public static final class CreateStreamingAsync {
    private CreateStreamingAsync() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Span enter(@Advice.Argument(0) Object params, @Advice.This Object service) {
      return Tracing.start(OpenAiIntegration.CHAT_COMPLETION_STREAM_CONTENT, "Completions",
          "CHAT_MODEL", new Object[] {params, service});
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Span span,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object stream,
        @Advice.Thrown Throwable error) {
      if (error != null) {
        Tracing.end(span, null, error);
      } else {
        stream = StreamingCalls.observeAsyncStreamResponse(stream,
            "com.openai.core.http.AsyncStreamResponse", span);
      }
    }
  }
}
