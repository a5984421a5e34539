package org.mlflow.agent.integration.openai;

import net.bytebuddy.asm.Advice;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.bootstrap.Tracing;

/**
 * Inlined into {@code ChatCompletionServiceImpl.create}. It only references the bootstrap bridge
 * and keeps the request by reference: reading it happens later, off the application thread.
 */
public final class ChatCompletionAdvice {

  private ChatCompletionAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Span enter(@Advice.Argument(0) Object params) {
    return Tracing.start(
        OpenAiIntegration.CHAT_COMPLETION_CONTENT, "Completions", "CHAT_MODEL", params);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(
      @Advice.Enter Span span,
      @Advice.Return Object completion,
      @Advice.Thrown Throwable error) {
    Tracing.end(span, completion, error);
  }
}
