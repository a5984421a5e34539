package org.mlflow.agent.integration.anthropic;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.bootstrap.StreamingCalls;
import org.mlflow.agent.bootstrap.Tracing;

/**
 * Inlined into {@code MessageServiceAsyncImpl.createStreaming}: the application gets a view of
 * the {@code AsyncStreamResponse} whose subscribed handlers also record each event; the span ends
 * when the stream completes, fails or is closed.
 */
public final class AsyncMessageStreamAdvice {

  private AsyncMessageStreamAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Span enter(@Advice.Argument(0) Object params) {
    return Tracing.start(AnthropicIntegration.MESSAGE_STREAM_CONTENT,
        AnthropicIntegration.ASYNC_SPAN_NAME, "CHAT_MODEL", params);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(
      @Advice.Enter Span span,
      @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object response,
      @Advice.Thrown Throwable error) {
    if (error != null) {
      Tracing.end(span, null, error);
    } else {
      response = StreamingCalls.observeAsyncStreamResponse(
          response, AnthropicIntegration.ASYNC_STREAM_RESPONSE, span);
    }
  }
}
