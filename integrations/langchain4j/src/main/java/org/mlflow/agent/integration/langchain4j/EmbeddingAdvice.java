package org.mlflow.agent.integration.langchain4j;

import net.bytebuddy.asm.Advice;
import org.mlflow.agent.bootstrap.CallArguments;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.bootstrap.Tracing;

/** Inlined into {@code EmbeddingModel.embed/embedAll}: one EMBEDDING span per outermost call. */
public final class EmbeddingAdvice {

  private EmbeddingAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Span enter(@Advice.Argument(0) Object input, @Advice.This Object model) {
    return Tracing.startOutermost(LangChain4jIntegration.EMBEDDING_CONTENT, "EmbeddingModel",
        "EMBEDDING", CallArguments.of(input, model));
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@Advice.Enter Span span, @Advice.Return Object response,
      @Advice.Thrown Throwable error) {
    Tracing.end(span, response, error);
  }
}
