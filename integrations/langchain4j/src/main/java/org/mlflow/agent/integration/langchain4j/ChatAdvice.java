package org.mlflow.agent.integration.langchain4j;

import net.bytebuddy.asm.Advice;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.bootstrap.Tracing;

/**
 * Inlined into {@code ChatModel.chat(ChatRequest[, ChatRequestOptions])}: one CHAT_MODEL span per
 * outermost call, with the request and the model (which names the span and gives its defaults).
 */
public final class ChatAdvice {

  private ChatAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Span enter(@Advice.Argument(0) Object request, @Advice.This Object model) {
    return Tracing.startOutermost(LangChain4jIntegration.CHAT_CONTENT, "ChatModel", "CHAT_MODEL",
        new Object[] {request, model});
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@Advice.Enter Span span, @Advice.Return Object response,
      @Advice.Thrown Throwable error) {
    Tracing.end(span, response, error);
  }
}
