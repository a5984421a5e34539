package org.mlflow.agent.integration.bedrock;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import org.mlflow.agent.bootstrap.EventStreamHandlers;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.bootstrap.Tracing;

/**
 * Inlined into the async client's {@code converseStream(ConverseStreamRequest,
 * ConverseStreamResponseHandler)}. The application's handler is handed on wrapped, so each event
 * it receives is recorded; the span ends when the events end or the subscriber cancels, or when
 * the call's future fails or is cancelled.
 */
public final class ConverseStreamAdvice {

  private ConverseStreamAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Span enter(
      @Advice.Argument(0) Object request,
      @Advice.Argument(value = 1, readOnly = false, typing = Assigner.Typing.DYNAMIC)
          Object handler) {
    Span span = Tracing.start(BedrockIntegration.CONVERSE_STREAM_CONTENT,
        "BedrockRuntime.converse_stream", "CHAT_MODEL", request);
    handler = EventStreamHandlers.observe(handler,
        "software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler", span);
    return span;
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(
      @Advice.Enter Span span,
      @Advice.Return Object result,
      @Advice.Thrown Throwable error) {
    Tracing.endAtReturn(span, result, error);
  }
}
