package org.mlflow.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CallbackHandlersTest {

  /** The shape of a streaming chat handler. */
  public interface ChatHandler {
    void onPartialResponse(String text);

    void onCompleteResponse(String response);

    void onError(Throwable error);

    default void onPartialThinking(String thinking) {}
  }

  private final List<Span> ended = RecordingSink.install().ended();
  private final List<String> seen = new ArrayList<>();

  private final ChatHandler application = new ChatHandler() {
    @Override
    public void onPartialResponse(String text) {
      seen.add("partial " + text);
    }

    @Override
    public void onCompleteResponse(String response) {
      seen.add("complete " + response);
    }

    @Override
    public void onError(Throwable error) {
      seen.add("error " + error.getMessage());
      throw new IllegalStateException("from the app");
    }
  };

  @AfterEach
  void uninstall() {
    RecordingSink.uninstall();
  }

  private ChatHandler observed(Span span) {
    return (ChatHandler) CallbackHandlers.observe(application, ChatHandler.class.getName(), span,
        "onPartialResponse", "onCompleteResponse", "onError");
  }

  @Test
  void partialResultsAreChunksAndTheCompletionEndsTheSpanOnce() {
    Span span = Tracing.start("chat", "Chat", "CHAT_MODEL", "request");
    ChatHandler handler = observed(span);
    Tracing.detach(span);

    handler.onPartialResponse("Hel");
    handler.onPartialThinking("hmm");
    handler.onPartialResponse("lo");
    handler.onCompleteResponse("Hello");
    handler.onCompleteResponse("again");

    assertEquals(List.of("partial Hel", "partial lo", "complete Hello", "complete again"), seen);
    assertEquals(List.of(span), ended);
    assertEquals(2, span.chunkCount());
    assertEquals("Hel", span.chunk(0));
    assertEquals("Hello", span.response());
  }

  @Test
  void theErrorCallbackEndsTheSpanAndWhatTheHandlerThrowsReachesTheCaller() {
    Span span = Tracing.start("chat", "Chat", "CHAT_MODEL", "request");
    ChatHandler handler = observed(span);
    RuntimeException failure = new RuntimeException("boom");

    IllegalStateException thrown =
        assertThrows(IllegalStateException.class, () -> handler.onError(failure));

    assertEquals("from the app", thrown.getMessage());
    assertEquals(List.of(span), ended);
    assertSame(failure, span.error());
  }

  @Test
  void anUnrecordedCallKeepsTheApplicationsHandler() {
    assertSame(application, observed(Tracing.NOT_RECORDED));
    Span span = Tracing.start("chat", "Chat", "CHAT_MODEL", "request");
    assertSame(application, CallbackHandlers.observe(application, "some.OtherHandler", span,
        "onPartialResponse", "onCompleteResponse", "onError"));
    Tracing.end(span, null, null);
  }
}
