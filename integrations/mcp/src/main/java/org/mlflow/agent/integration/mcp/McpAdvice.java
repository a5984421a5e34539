package org.mlflow.agent.integration.mcp;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import org.mlflow.agent.bootstrap.ReactiveCalls;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.bootstrap.Tracing;

/** Inlined into the MCP clients' {@code callTool}; keeps the request by reference. */
public final class McpAdvice {

  private McpAdvice() {}

  /** {@code McpSyncClient.callTool}: the span ends when the call returns or throws. */
  public static final class SyncCallTool {
    private SyncCallTool() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Span enter(@Advice.Argument(0) Object request) {
      return Tracing.startOutermost(McpIntegration.TOOL_CONTENT, "McpSyncClient.callTool", "TOOL",
          request);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Span span, @Advice.Return Object result,
        @Advice.Thrown Throwable error) {
      Tracing.end(span, result, error);
    }
  }

  /**
   * {@code McpAsyncClient.callTool}: the span starts at the call and ends when the returned
   * {@code Mono} yields the result, fails or is cancelled.
   */
  public static final class AsyncCallTool {
    private AsyncCallTool() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Span enter(@Advice.Argument(0) Object request) {
      return Tracing.startOutermost(McpIntegration.TOOL_CONTENT, "McpAsyncClient.callTool",
          "TOOL", request);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Span span,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object mono,
        @Advice.Thrown Throwable error) {
      if (error != null) {
        Tracing.end(span, null, error);
      } else {
        mono = ReactiveCalls.observeMono(mono, span);
      }
    }
  }
}
