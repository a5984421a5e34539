package org.mlflow.agent.integration.langchain4j;

import net.bytebuddy.asm.Advice;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.bootstrap.Tracing;

/** Inlined into an embedding store's {@code search(EmbeddingSearchRequest)}: a RETRIEVER span. */
public final class StoreSearchAdvice {

  private StoreSearchAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Span enter(@Advice.Argument(0) Object request, @Advice.This Object store) {
    return Tracing.startOutermost(LangChain4jIntegration.STORE_SEARCH_CONTENT, "EmbeddingStore",
        "RETRIEVER", new Object[] {request, store});
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@Advice.Enter Span span, @Advice.Return Object result,
      @Advice.Thrown Throwable error) {
    Tracing.end(span, result, error);
  }
}
