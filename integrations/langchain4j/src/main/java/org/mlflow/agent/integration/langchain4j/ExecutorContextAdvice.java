package org.mlflow.agent.integration.langchain4j;

import java.util.concurrent.Executor;
import net.bytebuddy.asm.Advice;
import org.mlflow.agent.bootstrap.ContextExecutors;

/**
 * Inlined at the exit of what sets the {@code executor} field LangChain4j runs parts of a call on
 * ({@code DefaultRetrievalAugmentor}'s constructor: several retrievers or queries at once; {@code
 * ToolService.executeToolsConcurrently}, on versions that have it): the executor is wrapped so that each task keeps the span
 * current where LangChain4j submitted it, and the spans it records keep their real parent.
 */
public final class ExecutorContextAdvice {

  private ExecutorContextAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  public static void exit(
      @Advice.FieldValue(value = "executor", readOnly = false) Executor executor) {
    executor = ContextExecutors.carryingContext(executor);
  }
}
