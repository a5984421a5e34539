package org.mlflow.agent.integration.servlet;

import net.bytebuddy.asm.Advice;
import org.mlflow.agent.bootstrap.Tracing;

/**
 * Marks the request as a pending root: it costs a thread-local write, and becomes a span only if
 * the request makes a traced call ({@link ServletRootCapture} then reads it).
 */
public final class ServletServiceAdvice {

  private ServletServiceAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static boolean enter(@Advice.Argument(0) Object request) {
    return Tracing.pendRoot(ServletIntegration.ROOT_CONTENT, ServletIntegration.ROOT_SPAN_TYPE,
        request);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(@Advice.Enter boolean pending, @Advice.Argument(1) Object response,
      @Advice.Thrown Throwable thrown) {
    if (pending) {
      Tracing.closePendingRoot(response, thrown);
    }
  }
}
