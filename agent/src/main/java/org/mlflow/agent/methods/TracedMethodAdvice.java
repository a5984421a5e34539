package org.mlflow.agent.methods;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import org.mlflow.agent.bootstrap.CallArguments;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.bootstrap.Tracing;

/**
 * Woven around each method {@code MLFLOW_AGENT_TRACE_METHODS} names: the call becomes a span of
 * its own, with the arguments and the return value kept by reference and read on the exporter
 * thread ({@link MethodCallRenderer}). Name, type and parameter names are constants bound at
 * weaving ({@link TracedMethods}).
 */
public final class TracedMethodAdvice {

  /** The content kind of these spans. */
  public static final String KIND = "method";

  private TracedMethodAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static Span enter(@SpanName String name, @SpanTypeName String spanType,
      @ParameterNames String parameterNames, @Advice.AllArguments Object[] arguments) {
    return Tracing.start(KIND, name, spanType,
        new Object[] {parameterNames, CallArguments.of(arguments)});
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(@Advice.Enter Span span,
      @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object returned,
      @Advice.Thrown Throwable thrown) {
    Tracing.end(span, returned, thrown);
  }
}
