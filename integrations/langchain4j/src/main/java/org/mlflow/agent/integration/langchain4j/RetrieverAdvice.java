package org.mlflow.agent.integration.langchain4j;

import net.bytebuddy.asm.Advice;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.bootstrap.Tracing;

/** Inlined into a content retriever's {@code retrieve(Query)}: a RETRIEVER span. */
public final class RetrieverAdvice {

  private RetrieverAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Span enter(@Advice.Argument(0) Object query, @Advice.This Object retriever) {
    return Tracing.startOutermost(LangChain4jIntegration.RETRIEVER_CONTENT, "ContentRetriever",
        "RETRIEVER", new Object[] {query, retriever});
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@Advice.Enter Span span, @Advice.Return Object contents,
      @Advice.Thrown Throwable error) {
    Tracing.end(span, contents, error);
  }
}
