package org.mlflow.agent.integration.bedrock;

import net.bytebuddy.asm.Advice;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.bootstrap.Tracing;

/**
 * Inlined into {@code invokeModel(InvokeModelRequest)} of the default sync and async clients. The
 * sync call ends its span on return; the async one when its future completes. The span is an LLM
 * span until the response says otherwise (an embedding), as in MLflow's Python autolog.
 */
public final class InvokeModelAdvice {

  private InvokeModelAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Span enter(@Advice.Argument(0) Object request) {
    return Tracing.start(
        BedrockIntegration.INVOKE_MODEL_CONTENT, "BedrockRuntime.invoke_model", "LLM", request);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(
      @Advice.Enter Span span,
      @Advice.Return Object result,
      @Advice.Thrown Throwable error) {
    Tracing.endAtReturn(span, result, error);
  }
}
