package org.mlflow.agent.integration.bedrock;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import org.mlflow.agent.bootstrap.EventStreamHandlers;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.bootstrap.Tracing;

/**
 * Inlined into the async client's {@code invokeModelWithResponseStream(request, handler)}: as for
 * ConverseStream, the application's handler is handed on wrapped so that each streamed chunk is
 * recorded, and the span ends with the stream, or with the call's future if it fails.
 */
public final class InvokeModelStreamAdvice {

  private InvokeModelStreamAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Span enter(
      @Advice.Argument(0) Object request,
      @Advice.Argument(value = 1, readOnly = false, typing = Assigner.Typing.DYNAMIC)
          Object handler) {
    Span span = Tracing.start(BedrockIntegration.INVOKE_MODEL_STREAM_CONTENT,
        "BedrockRuntime.invoke_model_with_response_stream", "LLM", request);
    handler = EventStreamHandlers.observe(handler, "software.amazon.awssdk.services.bedrockruntime"
        + ".model.InvokeModelWithResponseStreamResponseHandler", span);
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
