package org.mlflow.agent.integration.langchain4j;

import java.lang.reflect.Method;
import net.bytebuddy.asm.Advice;
import org.mlflow.agent.bootstrap.CallArguments;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.bootstrap.Tracing;

/**
 * Inlined into the invocation handler behind an AI service proxy ({@code AiServices.create}): an
 * AGENT span per call of one of the service's own methods, named {@code Interface.method} when
 * rendered. {@code Object}'s methods and the interface's default methods (which run the
 * application's own code) are not spans.
 */
public final class AiServiceAdvice {

  private AiServiceAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Span enter(@Advice.Argument(1) Method method, @Advice.Argument(2) Object[] args) {
    if (method.getDeclaringClass() == Object.class || method.isDefault()) {
      return null;
    }
    return Tracing.start(LangChain4jIntegration.AI_SERVICE_CONTENT, "AiService", "AGENT",
        new Object[] {method, args == null ? null : CallArguments.of(args.clone())});
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@Advice.Enter Span span, @Advice.Return Object result,
      @Advice.Thrown Throwable error) {
    Tracing.end(span, result, error);
  }
}
