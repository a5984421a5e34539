package org.mlflow.agent.integration.bedrock;

import net.bytebuddy.asm.Advice;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.bootstrap.Tracing;

/**
 * Inlined into {@code converse(ConverseRequest)} of the default sync and async clients. The sync
 * call ends its span on return; the async one when its future completes, on whichever thread.
 */
public final class ConverseAdvice {

  private ConverseAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Span enter(@Advice.Argument(0) Object request) {
    return Tracing.start(
        BedrockIntegration.CONVERSE_CONTENT, "BedrockRuntime.converse", "CHAT_MODEL", request);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(
      @Advice.Enter Span span,
      @Advice.Return Object result,
      @Advice.Thrown Throwable error) {
    Tracing.endAtReturn(span, result, error);
  }
}
