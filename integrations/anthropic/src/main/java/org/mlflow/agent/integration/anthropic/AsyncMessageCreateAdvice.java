package org.mlflow.agent.integration.anthropic;

import java.util.concurrent.CompletableFuture;
import net.bytebuddy.asm.Advice;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.bootstrap.Tracing;

/**
 * Inlined into {@code MessageServiceAsyncImpl.create}: the span ends when the returned future
 * completes, with its {@code Message} or its failure, on whichever thread completes it.
 */
public final class AsyncMessageCreateAdvice {

  private AsyncMessageCreateAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Span enter(@Advice.Argument(0) Object params) {
    return Tracing.start(AnthropicIntegration.MESSAGE_CONTENT,
        AnthropicIntegration.ASYNC_SPAN_NAME, "CHAT_MODEL", params);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(
      @Advice.Enter Span span,
      @Advice.Return Object future,
      @Advice.Thrown Throwable error) {
    if (future instanceof CompletableFuture) {
      Tracing.endWhenDone(span, (CompletableFuture<?>) future);
    } else {
      Tracing.end(span, null, error);
    }
  }
}
