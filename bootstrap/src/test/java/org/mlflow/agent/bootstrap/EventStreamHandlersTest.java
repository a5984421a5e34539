package org.mlflow.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EventStreamHandlersTest {

  /** The shapes of Reactive Streams and of the AWS SDK v2 event stream handler. */
  public interface FakeSubscription {
    void request(long n);

    void cancel();
  }

  public interface FakeSubscriber<T> {
    void onSubscribe(FakeSubscription subscription);

    void onNext(T item);

    void onError(Throwable error);

    void onComplete();
  }

  public interface FakeReactivePublisher<T> {
    void subscribe(FakeSubscriber<? super T> subscriber);
  }

  /** Like the SDK's SdkPublisher: default methods built on subscribe(Subscriber). */
  public interface FakeSdkPublisher<T> extends FakeReactivePublisher<T> {
    default void subscribe(Consumer<T> consumer) {
      subscribe(new FakeSubscriber<T>() {
        @Override
        public void onSubscribe(FakeSubscription subscription) {
          subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(T item) {
          consumer.accept(item);
        }

        @Override
        public void onError(Throwable error) {}

        @Override
        public void onComplete() {}
      });
    }
  }

  public interface FakeEventStreamHandler<R, E> {
    void responseReceived(R response);

    void onEventStream(FakeSdkPublisher<E> publisher);

    void exceptionOccurred(Throwable error);

    void complete();
  }

  /** The operation's own handler interface, as the method takes it. */
  public interface FakeChatStreamHandler extends FakeEventStreamHandler<String, String> {}

  private List<Span> ended;
  private final List<String> appSaw = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void install() {
    ended = RecordingSink.install().ended();
  }

  @AfterEach
  void uninstall() {
    RecordingSink.uninstall();
  }

  /** A library that pushes its events synchronously as the subscriber requests them. */
  private static final class FakeLibrary implements FakeSdkPublisher<String> {
    private final List<String> events;
    private final RuntimeException failAfterEvents;
    private FakeSubscriber<? super String> subscriber;
    private int next;
    private boolean cancelled;

    FakeLibrary(List<String> events, RuntimeException failAfterEvents) {
      this.events = events;
      this.failAfterEvents = failAfterEvents;
    }

    void run(FakeChatStreamHandler handler) {
      handler.responseReceived("initial-response");
      handler.onEventStream(this);
      if (failAfterEvents != null) {
        handler.exceptionOccurred(failAfterEvents);
      } else if (!cancelled) {
        handler.complete();
      }
    }

    @Override
    public void subscribe(FakeSubscriber<? super String> newSubscriber) {
      subscriber = newSubscriber;
      subscriber.onSubscribe(new FakeSubscription() {
        @Override
        public void request(long n) {
          for (long i = 0; i < n && next < events.size() && !cancelled; i++) {
            subscriber.onNext(events.get(next++));
          }
          if (next == events.size() && !cancelled) {
            if (failAfterEvents != null) {
              subscriber.onError(failAfterEvents);
            } else {
              subscriber.onComplete();
            }
          }
        }

        @Override
        public void cancel() {
          cancelled = true;
        }
      });
    }
  }

  /** The application's handler: subscribes with a Subscriber and records what it sees. */
  private FakeChatStreamHandler appHandler(int cancelAfter) {
    return new FakeChatStreamHandler() {
      @Override
      public void responseReceived(String response) {
        appSaw.add("response:" + response);
      }

      @Override
      public void onEventStream(FakeSdkPublisher<String> publisher) {
        publisher.subscribe(new FakeSubscriber<String>() {
          private FakeSubscription subscription;
          private int received;

          @Override
          public void onSubscribe(FakeSubscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
          }

          @Override
          public void onNext(String item) {
            appSaw.add(item);
            if (++received == cancelAfter) {
              subscription.cancel();
            }
          }

          @Override
          public void onError(Throwable error) {
            appSaw.add("error:" + error.getMessage());
          }

          @Override
          public void onComplete() {
            appSaw.add("onComplete");
          }
        });
      }

      @Override
      public void exceptionOccurred(Throwable error) {
        appSaw.add("exceptionOccurred:" + error.getMessage());
      }

      @Override
      public void complete() {
        appSaw.add("complete");
      }
    };
  }

  private static FakeChatStreamHandler observe(FakeChatStreamHandler handler, Span span) {
    return (FakeChatStreamHandler) EventStreamHandlers.observe(handler,
        FakeChatStreamHandler.class.getName(), span);
  }

  @Test
  void everyEventIsRecordedAndTheSpanEndsOnceWithTheInitialResponse() throws Exception {
    Span span = Tracing.start("k", "ConverseStream", "CHAT_MODEL", "request");
    FakeChatStreamHandler observed = observe(appHandler(0), span);
    assertNull(Tracing.current(), "the span left the calling thread");

    Thread sdkThread = new Thread(() -> new FakeLibrary(List.of("a", "b", "c"), null).run(observed));
    sdkThread.start();
    sdkThread.join();

    assertEquals(List.of("response:initial-response", "a", "b", "c", "onComplete", "complete"),
        appSaw);
    assertEquals(List.of(span), ended);
    assertEquals(3, span.chunkCount());
    assertEquals("a", span.chunk(0));
    assertEquals("c", span.chunk(2));
    assertEquals("initial-response", span.response());
    assertNull(span.error());
  }

  @Test
  void aSubscriptionThroughADefaultMethodIsObservedToo() {
    Span span = Tracing.start("k", "ConverseStream", "CHAT_MODEL", "request");
    FakeChatStreamHandler consumerHandler = new FakeChatStreamHandler() {
      @Override
      public void responseReceived(String response) {}

      @Override
      public void onEventStream(FakeSdkPublisher<String> publisher) {
        publisher.subscribe((Consumer<String>) appSaw::add);
      }

      @Override
      public void exceptionOccurred(Throwable error) {}

      @Override
      public void complete() {
        appSaw.add("complete");
      }
    };

    new FakeLibrary(List.of("x", "y"), null).run(observe(consumerHandler, span));

    assertEquals(List.of("x", "y", "complete"), appSaw);
    assertEquals(List.of(span), ended);
    assertEquals(2, span.chunkCount());
  }

  @Test
  void aFailingStreamEndsTheSpanWithTheErrorTheAppAlsoGets() {
    IllegalStateException cut = new IllegalStateException("model stream error");
    Span span = Tracing.start("k", "ConverseStream", "CHAT_MODEL", "request");

    new FakeLibrary(List.of("a"), cut).run(observe(appHandler(0), span));

    assertEquals(List.of("response:initial-response", "a", "error:model stream error",
        "exceptionOccurred:model stream error"), appSaw);
    assertEquals(List.of(span), ended);
    assertSame(cut, span.error());
    assertEquals(1, span.chunkCount());
  }

  @Test
  void aFailedAttemptTheLibraryMayRetryDoesNotEndTheSpan() {
    Span span = Tracing.start("k", "ConverseStream", "CHAT_MODEL", "request");
    FakeChatStreamHandler observed = observe(appHandler(0), span);

    observed.exceptionOccurred(new IllegalStateException("throttled, retrying"));

    assertTrue(ended.isEmpty(), "the call's future ends the span if the call fails for good");
    assertEquals(List.of("exceptionOccurred:throttled, retrying"), appSaw);
  }

  @Test
  void cancellingTheSubscriptionEndsTheSpanWithTheEventsReceived() {
    Span span = Tracing.start("k", "ConverseStream", "CHAT_MODEL", "request");

    new FakeLibrary(List.of("a", "b", "c"), null).run(observe(appHandler(2), span));

    assertEquals(List.of("response:initial-response", "a", "b"), appSaw);
    assertEquals(List.of(span), ended);
    assertEquals(2, span.chunkCount());
    assertNull(span.error());
  }

  @Test
  void anUnrecordedCallOrAnotherHandlerTypeKeepsTheOriginalHandler() {
    FakeChatStreamHandler original = appHandler(0);
    assertSame(original, observe(original, Tracing.NOT_RECORDED));

    Span span = Tracing.start("k", "ConverseStream", "CHAT_MODEL", "request");
    assertSame(original, EventStreamHandlers.observe(original, "com.example.OtherHandler", span));
    assertNull(Tracing.current(), "the span still leaves the thread: the call's future ends it");
  }
}
