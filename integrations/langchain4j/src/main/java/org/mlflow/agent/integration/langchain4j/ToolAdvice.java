package org.mlflow.agent.integration.langchain4j;

import net.bytebuddy.asm.Advice;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.bootstrap.Tracing;

/**
 * Inlined into {@code ToolExecutor.execute(ToolExecutionRequest, Object)} and {@code
 * executeWithContext(ToolExecutionRequest, InvocationContext)}: a TOOL span per outermost call,
 * named after the tool when rendered.
 */
public final class ToolAdvice {

  private ToolAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Span enter(@Advice.Argument(0) Object toolRequest) {
    return Tracing.startOutermost(LangChain4jIntegration.TOOL_CONTENT, "tool", "TOOL",
        toolRequest);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@Advice.Enter Span span, @Advice.Return Object result,
      @Advice.Thrown Throwable error) {
    Tracing.end(span, result, error);
  }
}
