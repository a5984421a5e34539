package org.mlflow.agent.integration.openai;

import java.util.concurrent.CompletableFuture;
import net.bytebuddy.asm.Advice;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.bootstrap.Tracing;

/**
 * Inlined into the embedding services. Each keeps the call's params and the service (whose
 * client options say whether it is Azure) by reference: reading them happens later, off the
 * application thread.
 */
public final class EmbeddingAdvice {

  private EmbeddingAdvice() {}

  /** {@code EmbeddingServiceImpl.create}: the span ends with the embeddings. */
  public static final class Create {
    private Create() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Span enter(@Advice.Argument(0) Object params, @Advice.This Object service) {
      return Tracing.start(OpenAiIntegration.EMBEDDING_CONTENT, "Embeddings", "EMBEDDING",
          new Object[] {params, service});
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Span span, @Advice.Return Object response,
        @Advice.Thrown Throwable error) {
      Tracing.end(span, response, error);
    }
  }

  /** {@code EmbeddingServiceAsyncImpl.create}: the span ends with the future. */
  public static final class CreateAsync {
    private CreateAsync() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Span enter(@Advice.Argument(0) Object params, @Advice.This Object service) {
      return Tracing.start(OpenAiIntegration.EMBEDDING_CONTENT, "Embeddings", "EMBEDDING",
          new Object[] {params, service});
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Span span, @Advice.Return CompletableFuture<?> future,
        @Advice.Thrown Throwable error) {
      if (error != null) {
        Tracing.end(span, null, error);
      } else {
        Tracing.endWhenDone(span, future);
      }
    }
  }
}
