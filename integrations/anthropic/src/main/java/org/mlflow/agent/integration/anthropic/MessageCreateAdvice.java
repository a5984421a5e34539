package org.mlflow.agent.integration.anthropic;

import net.bytebuddy.asm.Advice;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.bootstrap.Tracing;

/**
 * Inlined into {@code MessageServiceImpl.create}. Keeps the params and the {@code Message} by
 * reference: reading them happens later, off the application thread.
 */
public final class MessageCreateAdvice {

  private MessageCreateAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Span enter(@Advice.Argument(0) Object params) {
    return Tracing.start(
        AnthropicIntegration.MESSAGE_CONTENT, AnthropicIntegration.SPAN_NAME, "CHAT_MODEL", params);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(
      @Advice.Enter Span span,
      @Advice.Return Object message,
      @Advice.Thrown Throwable error) {
    Tracing.end(span, message, error);
  }
}
