package org.mlflow.agent.integration.googlegenai;

import java.util.Iterator;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import org.mlflow.agent.bootstrap.StreamingCalls;

/**
 * Woven into {@code ResponseStream}, a class (so it cannot be proxied) that the application keeps
 * as the library returned it. Every way of reading it ({@code for}, {@code forEach}, {@code
 * spliterator}) goes through {@code iterator()}; the iterator handed out for an observed stream
 * records each item and ends the span when the items run out or reading fails. Streams that are
 * not observed get their own iterator back.
 */
public final class ResponseStreamAdvice {

  private ResponseStreamAdvice() {}

  /** On {@code iterator()}. */
  public static final class IteratorAdvice {
    private IteratorAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(
        @Advice.This Object stream,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Iterator<?> items) {
      items = StreamingCalls.iterating(stream, items);
    }
  }

  /** On {@code close()}: a stream closed before its end ends its span with what was read. */
  public static final class CloseAdvice {
    private CloseAdvice() {}

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.This Object stream) {
      StreamingCalls.closed(stream);
    }
  }
}
