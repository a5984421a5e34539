package org.mlflow.agent.integration.langchain4j;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import org.mlflow.agent.bootstrap.CallbackHandlers;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.bootstrap.Tracing;

/**
 * Inlined into {@code StreamingChatModel.chat(ChatRequest[, ChatRequestOptions], handler)}: the
 * application's handler (the last argument) is replaced by one that records each partial response
 * and ends the span on {@code onCompleteResponse} or {@code onError}, on the library's thread. The
 * span stays current until the call returns, so an overload it delegates to is not a second span.
 */
public final class StreamingChatAdvice {

  private StreamingChatAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Span enter(@Advice.This Object model,
      @Advice.AllArguments(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object[] args) {
    Span span = Tracing.startOutermost(LangChain4jIntegration.STREAMING_CHAT_CONTENT,
        "StreamingChatModel", "CHAT_MODEL", new Object[] {args[0], model});
    if (span != null && span != Tracing.NOT_RECORDED) {
      Object[] observed = args.clone();
      int last = observed.length - 1;
      observed[last] = CallbackHandlers.observe(observed[last],
          LangChain4jIntegration.STREAMING_HANDLER, span, "onPartialResponse",
          "onCompleteResponse", "onError");
      args = observed;
    }
    return span;
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@Advice.Enter Span span, @Advice.Thrown Throwable error) {
    if (error != null) {
      Tracing.end(span, null, error);
    } else {
      Tracing.detach(span);
    }
  }
}
