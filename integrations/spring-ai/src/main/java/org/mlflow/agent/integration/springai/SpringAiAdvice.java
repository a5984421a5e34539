package org.mlflow.agent.integration.springai;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import org.mlflow.agent.bootstrap.CallArguments;
import org.mlflow.agent.bootstrap.ReactiveCalls;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.bootstrap.Tracing;
import org.mlflow.agent.integration.SpanConstant;

/**
 * Inlined into Spring AI's implementations, one advice per call shape; each hook binds its content
 * kind, span name and span type (see {@link SpringAiIntegration}). Each keeps the call's argument
 * and the object called by reference, as {@code {argument, object}}; reading them happens off the
 * application thread. A streaming call hands the application a {@code Flux} that ends the span
 * with the stream, subscribing nothing itself.
 */
public final class SpringAiAdvice {

  private SpringAiAdvice() {}

  /** A call whose span ends with what it returns ({@code ChatModel.call(Prompt)}...). */
  public static final class Call {
    private Call() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Span enter(@Advice.Argument(0) Object argument, @Advice.This Object called,
        @SpanConstant.ContentKind String contentKind, @SpanConstant.Name String spanName,
        @SpanConstant.Type String spanType) {
      return Tracing.startOutermost(contentKind, spanName, spanType,
          new Object[] {argument, called});
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Span span, @Advice.Return Object result,
        @Advice.Thrown Throwable error) {
      Tracing.end(span, result, error);
    }
  }

  /** A call returning a {@code Flux} ({@code StreamingChatModel.stream(Prompt)}...). */
  public static final class StreamingCall {
    private StreamingCall() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Span enter(@Advice.Argument(0) Object argument, @Advice.This Object called,
        @SpanConstant.ContentKind String contentKind, @SpanConstant.Name String spanName,
        @SpanConstant.Type String spanType) {
      return Tracing.startOutermost(contentKind, spanName, spanType,
          new Object[] {argument, called});
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Span span,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object flux,
        @Advice.Thrown Throwable error) {
      if (error != null) {
        Tracing.end(span, null, error);
      } else {
        flux = ReactiveCalls.observeFlux(flux, span);
      }
    }
  }

  /** {@code VectorStore.similaritySearch(SearchRequest)}. */
  public static final class SimilaritySearch {
    private SimilaritySearch() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Span enter(@Advice.Argument(0) Object request) {
      return Tracing.startOutermost(SpringAiIntegration.RETRIEVER_CONTENT,
          "VectorStore.similaritySearch", "RETRIEVER", request);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Span span, @Advice.Return Object documents,
        @Advice.Thrown Throwable error) {
      // Copied: the application may change the list it gets before the span is read.
      Tracing.end(span, CallArguments.of(documents)[0], error);
    }
  }
}
