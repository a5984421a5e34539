package org.mlflow.agent.integration.anthropic;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.bootstrap.StreamingCalls;
import org.mlflow.agent.bootstrap.Tracing;

/**
 * Inlined into {@code MessageServiceImpl.createStreaming}: the application gets a view of the
 * {@code StreamResponse} that records each event and ends the span once, when the stream is read
 * to its end, fails, or is closed early.
 */
public final class MessageStreamAdvice {

  private MessageStreamAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Span enter(@Advice.Argument(0) Object params) {
    return Tracing.start(AnthropicIntegration.MESSAGE_STREAM_CONTENT,
        AnthropicIntegration.SPAN_NAME, "CHAT_MODEL", params);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(
      @Advice.Enter Span span,
      @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object response,
      @Advice.Thrown Throwable error) {
    if (error != null) {
      Tracing.end(span, null, error);
    } else {
      response = StreamingCalls.observeStreamResponse(
          response, AnthropicIntegration.STREAM_RESPONSE, span);
    }
  }
}
