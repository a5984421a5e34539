package org.mlflow.agent.integration.springai;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import org.mlflow.agent.bootstrap.CallArguments;
import org.mlflow.agent.bootstrap.ReactiveCalls;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.bootstrap.Tracing;

/**
 * Inlined into Spring AI's implementations. Each keeps the call's argument (and, where the
 * renderer needs it, the object called) by reference; reading them happens off the application
 * thread. A streaming call hands the application a {@code Flux} that ends the span with the
 * stream, subscribing nothing itself.
 */
public final class SpringAiAdvice {

  private SpringAiAdvice() {}

  /** {@code ChatModel.call(Prompt)}. */
  public static final class ChatCall {
    private ChatCall() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Span enter(@Advice.Argument(0) Object prompt, @Advice.This Object model) {
      return Tracing.startOutermost(SpringAiIntegration.CHAT_CONTENT, "ChatModel.call",
          "CHAT_MODEL", new Object[] {prompt, model});
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Span span, @Advice.Return Object response,
        @Advice.Thrown Throwable error) {
      Tracing.end(span, response, error);
    }
  }

  /** {@code StreamingChatModel.stream(Prompt)}: the span ends with the returned {@code Flux}. */
  public static final class ChatStream {
    private ChatStream() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Span enter(@Advice.Argument(0) Object prompt, @Advice.This Object model) {
      return Tracing.startOutermost(SpringAiIntegration.CHAT_STREAM_CONTENT, "ChatModel.stream",
          "CHAT_MODEL", new Object[] {prompt, model});
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

  /** {@code EmbeddingModel.call(EmbeddingRequest)}. */
  public static final class EmbeddingCall {
    private EmbeddingCall() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Span enter(@Advice.Argument(0) Object request) {
      return Tracing.startOutermost(SpringAiIntegration.EMBEDDING_CONTENT, "EmbeddingModel.call",
          "EMBEDDING", request);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Span span, @Advice.Return Object response,
        @Advice.Thrown Throwable error) {
      Tracing.end(span, response, error);
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

  /**
   * {@code ToolCallback.call(String)} and {@code call(String, ToolContext)}, one span when one
   * delegates to the other; the renderer names it after the tool.
   */
  public static final class ToolCall {
    private ToolCall() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Span enter(@Advice.Argument(0) Object arguments, @Advice.This Object tool) {
      return Tracing.startOutermost(SpringAiIntegration.TOOL_CONTENT, "ToolCallback.call",
          "TOOL", new Object[] {arguments, tool});
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Span span, @Advice.Return Object result,
        @Advice.Thrown Throwable error) {
      Tracing.end(span, result, error);
    }
  }

  /** A {@code ChatClient} call ({@code .call().content()}, {@code .entity(...)}...). */
  public static final class ChatClientCall {
    private ChatClientCall() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Span enter(@Advice.Argument(0) Object request) {
      return Tracing.startOutermost(SpringAiIntegration.CHAT_CLIENT_CONTENT, "ChatClient.call",
          "CHAIN", request);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Span span, @Advice.Return Object response,
        @Advice.Thrown Throwable error) {
      Tracing.end(span, response, error);
    }
  }

  /** A streamed {@code ChatClient} call ({@code .stream().content()}...). */
  public static final class ChatClientStream {
    private ChatClientStream() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Span enter(@Advice.Argument(0) Object request) {
      return Tracing.startOutermost(SpringAiIntegration.CHAT_CLIENT_STREAM_CONTENT,
          "ChatClient.stream", "CHAIN", request);
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
}
