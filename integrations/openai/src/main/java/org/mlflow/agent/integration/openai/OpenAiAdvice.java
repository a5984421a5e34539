package org.mlflow.agent.integration.openai;

import java.util.concurrent.CompletableFuture;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.bootstrap.StreamingCalls;
import org.mlflow.agent.bootstrap.Tracing;
import org.mlflow.agent.integration.SpanConstant;

/**
 * Inlined into the OpenAI services, one advice per call shape; each hook binds its content kind,
 * span name and span type (see {@link OpenAiIntegration}). A blocking call is hooked in the
 * service's {@code withRawResponse()} twin, which every blocking {@code create} ends in (and the
 * application's own {@code withRawResponse()} calls): its span ends when the raw response is
 * parsed, by the SDK or by the application. An async call is hooked in the async service itself,
 * not in its raw twin. Each keeps the call's params and the service (whose client options say
 * whether it is Azure) by reference: reading them happens later, off the application thread.
 */
public final class OpenAiAdvice {

  private OpenAiAdvice() {}

  /**
   * {@code WithRawResponseImpl.create} and {@code createStreaming}: the span ends with the parsed
   * response, or with the stream.
   */
  public static final class RawCall {
    private RawCall() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Span enter(@Advice.Argument(0) Object params, @Advice.This Object service,
        @SpanConstant.ContentKind String contentKind, @SpanConstant.Name String spanName,
        @SpanConstant.Type String spanType) {
      return Tracing.start(contentKind, spanName, spanType, new Object[] {params, service});
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Span span,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object response,
        @Advice.Thrown Throwable error) {
      if (error != null) {
        Tracing.end(span, null, error);
      } else {
        response = StreamingCalls.observeParsedResponse(response,
            "com.openai.core.http.HttpResponseFor", "com.openai.core.http.StreamResponse", span);
      }
    }
  }

  /** {@code XServiceAsyncImpl.create}: the span ends with the future. */
  public static final class AsyncCall {
    private AsyncCall() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Span enter(@Advice.Argument(0) Object params, @Advice.This Object service,
        @SpanConstant.ContentKind String contentKind, @SpanConstant.Name String spanName,
        @SpanConstant.Type String spanType) {
      return Tracing.start(contentKind, spanName, spanType, new Object[] {params, service});
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

  /** {@code XServiceAsyncImpl.createStreaming}: the span ends with the stream. */
  public static final class AsyncStreamingCall {
    private AsyncStreamingCall() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Span enter(@Advice.Argument(0) Object params, @Advice.This Object service,
        @SpanConstant.ContentKind String contentKind, @SpanConstant.Name String spanName,
        @SpanConstant.Type String spanType) {
      return Tracing.start(contentKind, spanName, spanType, new Object[] {params, service});
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Span span,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object stream,
        @Advice.Thrown Throwable error) {
      if (error != null) {
        Tracing.end(span, null, error);
      } else {
        stream = StreamingCalls.observeAsyncStreamResponse(stream,
            "com.openai.core.http.AsyncStreamResponse", span);
      }
    }
  }
}
