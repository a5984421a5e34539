package org.mlflow.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StreamingCallsTest {

  /** The shape of the OpenAI and Anthropic SDKs' StreamResponse. */
  public interface FakeStreamResponse<T> extends AutoCloseable {
    Stream<T> stream();

    @Override
    void close();
  }

  /** The shape of the OpenAI and Anthropic SDKs' AsyncStreamResponse. */
  public interface FakeAsyncStreamResponse<T> {
    FakeAsyncStreamResponse<T> subscribe(Handler<? super T> handler);

    void close();

    default java.util.concurrent.CompletableFuture<Void> onCompleteFuture() {
      return new java.util.concurrent.CompletableFuture<>();
    }

    interface Handler<T> {
      void onNext(T item);

      default void onComplete(java.util.Optional<Throwable> error) {}
    }
  }

  /** The shape of the OpenAI and Anthropic SDKs' HttpResponseFor: the value is parsed on demand. */
  public interface FakeRawResponse<T> extends AutoCloseable {
    int statusCode();

    T parse();

    @Override
    void close();
  }

  private final RecordingSink recorder = new RecordingSink();
  private final List<Span> ended = recorder.ended();

  @BeforeEach
  void install() {
    Tracing.install(recorder, 1.0);
  }

  @AfterEach
  void uninstall() {
    RecordingSink.uninstall();
  }

  private static FakeStreamResponse<String> response(List<String> items, List<String> closes) {
    return new FakeStreamResponse<>() {
      @Override
      public Stream<String> stream() {
        return items.stream();
      }

      @Override
      public void close() {
        closes.add("closed");
      }
    };
  }

  @SuppressWarnings("unchecked")
  private static FakeStreamResponse<String> observe(FakeStreamResponse<String> response, Span span) {
    return (FakeStreamResponse<String>) StreamingCalls.observeStreamResponse(
        response, FakeStreamResponse.class.getName(), span);
  }

  @Test
  void aStreamReadToTheEndEndsItsSpanOnceWithEveryItem() {
    List<String> closes = new ArrayList<>();
    Span span = Tracing.start("k", "Completions", "CHAT_MODEL", "request");
    FakeStreamResponse<String> observed = observe(response(List.of("a", "b", "c"), closes), span);
    assertNull(Tracing.current(), "the call returned: later calls are not its children");

    List<String> read;
    try (FakeStreamResponse<String> stream = observed) {
      read = stream.stream().collect(Collectors.toList());
    }

    assertEquals(List.of("a", "b", "c"), read);
    assertEquals(List.of("closed"), closes);
    assertEquals(List.of(span), ended);
    assertEquals(3, span.chunkCount());
    assertEquals("c", span.chunk(2));
    assertTrue(span.chunkEpochNanos(2) >= span.chunkEpochNanos(0));
    assertNull(span.error());
  }

  @Test
  void closingEarlyEndsTheSpanWithWhatWasRead() {
    List<String> closes = new ArrayList<>();
    Span span = Tracing.start("k", "Completions", "CHAT_MODEL", "request");
    FakeStreamResponse<String> observed = observe(response(List.of("a", "b", "c"), closes), span);

    assertEquals(List.of("a"), observed.stream().limit(1).collect(Collectors.toList()));
    observed.close();
    observed.close();

    assertEquals(List.of(span), ended);
    assertEquals(1, span.chunkCount());
    assertEquals(List.of("closed", "closed"), closes, "the app's closes all reach the SDK");
  }

  @Test
  void aFailingStreamEndsTheSpanWithTheErrorAndTheAppGetsTheSameError() {
    IllegalStateException cut = new IllegalStateException("stream cut mid-event");
    Span span = Tracing.start("k", "Completions", "CHAT_MODEL", "request");
    Stream<String> failing = Stream.of("a", "b").map(item -> {
      if (item.equals("b")) {
        throw cut;
      }
      return item;
    });

    IllegalStateException thrown = assertThrows(IllegalStateException.class,
        () -> StreamingCalls.observe(failing, span).collect(Collectors.toList()));

    assertSame(cut, thrown);
    assertEquals(List.of(span), ended);
    assertSame(cut, span.error());
    assertEquals(1, span.chunkCount());
  }

  @Test
  void anUnrecordedCallKeepsTheOriginalResponse() {
    FakeStreamResponse<String> original = response(List.of("a"), new ArrayList<>());
    assertSame(original, observe(original, Tracing.NOT_RECORDED));
  }

  @Test
  void anUnsampledStreamOrFutureLeavesTheThreadSoLaterCallsAreRecordedAgain() {
    Tracing.install(recorder, 0.0);
    FakeStreamResponse<String> original = response(List.of("a"), new ArrayList<>());
    assertSame(original, observe(original, Tracing.start("k", "stream", "CHAT_MODEL", null)));
    CompletableFuture<String> future = new CompletableFuture<>();
    assertSame(future, Tracing.endWhenDone(Tracing.start("k", "async", "CHAT_MODEL", null), future));

    Tracing.install(recorder, 1.0);
    Span next = Tracing.start("k", "next", "CHAT_MODEL", null);
    assertTrue(next != Tracing.NOT_RECORDED && next.isRoot(), "no unrecorded call is left open");
    Tracing.end(next, null, null);
    assertEquals(List.of(next), ended);
  }

  @Test
  void aCallThatReturnedNoStreamOrFutureEndsItsSpanAtOnce() {
    Span stream = Tracing.start("k", "stream", "CHAT_MODEL", null);
    assertNull(observe(null, stream));
    Span async = Tracing.start("k", "async", "CHAT_MODEL", null);
    assertNull(Tracing.endWhenDone(async, null));

    assertEquals(List.of(stream, async), ended);
    assertNull(Tracing.current());
  }

  private static <T> FakeRawResponse<T> raw(java.util.function.Supplier<T> parser,
      List<String> closes) {
    return new FakeRawResponse<>() {
      private T parsed;

      @Override
      public int statusCode() {
        return 200;
      }

      @Override
      public T parse() {
        if (parsed == null) {
          parsed = parser.get();
        }
        return parsed;
      }

      @Override
      public void close() {
        closes.add("closed");
      }
    };
  }

  @SuppressWarnings("unchecked")
  private static <T> FakeRawResponse<T> observeRaw(FakeRawResponse<T> response, Span span) {
    return (FakeRawResponse<T>) StreamingCalls.observeParsedResponse(response,
        FakeRawResponse.class.getName(), FakeStreamResponse.class.getName(), span);
  }

  @Test
  void aRawResponseEndsItsSpanWithTheValueWhenParsed() {
    Span span = Tracing.start("k", "Completions", "CHAT_MODEL", "request");
    FakeRawResponse<String> observed = observeRaw(raw(() -> "completion", new ArrayList<>()), span);
    assertNull(Tracing.current(), "the call returned: later calls are not its children");

    assertEquals(200, observed.statusCode());
    assertTrue(ended.isEmpty(), "reading the status is not reading the value");
    assertEquals("completion", observed.parse());
    assertEquals("completion", observed.parse());
    assertEquals(List.of(span), ended);
    assertEquals("completion", span.response());
  }

  @Test
  void aRawResponseThatFailsToParseEndsWithTheErrorAndOneClosedUnparsedEndsWithoutAValue() {
    IllegalStateException invalid = new IllegalStateException("not JSON");
    Span failing = Tracing.start("k", "Completions", "CHAT_MODEL", "request");
    FakeRawResponse<String> observed = observeRaw(raw(() -> {
      throw invalid;
    }, new ArrayList<>()), failing);
    assertSame(invalid, assertThrows(IllegalStateException.class, observed::parse));

    List<String> closes = new ArrayList<>();
    Span unparsed = Tracing.start("k", "Completions", "CHAT_MODEL", "request");
    observeRaw(raw(() -> "never read", closes), unparsed).close();

    assertEquals(List.of(failing, unparsed), ended);
    assertSame(invalid, failing.error());
    assertNull(unparsed.response());
    assertEquals(List.of("closed"), closes);
  }

  @Test
  void aRawResponseParsedIntoAStreamEndsWithTheStream() {
    List<String> streamCloses = new ArrayList<>();
    Span span = Tracing.start("k", "Completions", "CHAT_MODEL", "request");
    FakeRawResponse<FakeStreamResponse<String>> observed =
        observeRaw(raw(() -> response(List.of("a", "b"), streamCloses), new ArrayList<>()), span);

    FakeStreamResponse<String> stream = observed.parse();
    assertSame(stream, observed.parse(), "parsed once, handed out once");
    assertTrue(ended.isEmpty(), "the stream is not read yet");
    assertEquals(List.of("a", "b"), stream.stream().collect(Collectors.toList()));

    assertEquals(List.of(span), ended);
    assertEquals(2, span.chunkCount());
    assertNull(span.response());
  }

  @Test
  void aFutureEndsItsSpanWhenItCompletesOnAnotherThread() throws Exception {
    CompletableFuture<String> future = new CompletableFuture<>();
    Span span = Tracing.start("k", "Completions", "CHAT_MODEL", "request");
    assertSame(future, Tracing.endWhenDone(span, future));
    assertNull(Tracing.current());
    assertTrue(ended.isEmpty());

    Thread completer = new Thread(() -> future.complete("answer"));
    completer.start();
    completer.join();

    assertEquals(List.of(span), ended);
    assertEquals("answer", span.response());
  }

  @Test
  void aFailedFutureEndsItsSpanWithTheCause() {
    CompletableFuture<String> future = new CompletableFuture<>();
    Span span = Tracing.start("k", "Completions", "CHAT_MODEL", "request");
    Tracing.endWhenDone(span, future.thenApply(value -> value));
    IllegalArgumentException refused = new IllegalArgumentException("401");
    future.completeExceptionally(refused);

    assertEquals(List.of(span), ended);
    assertSame(refused, span.error());
  }

  @Test
  void aCallThatReturnsAFutureEndsWhenTheFutureDoesAnyOtherAtOnce() {
    CompletableFuture<String> future = new CompletableFuture<>();
    Span async = Tracing.start("k", "async", "CHAT_MODEL", "request");
    Tracing.endAtReturn(async, future, null);
    assertTrue(ended.isEmpty());
    assertNull(Tracing.current());
    future.complete("answer");
    assertEquals(List.of(async), ended);
    assertEquals("answer", async.response());

    Span sync = Tracing.start("k", "sync", "CHAT_MODEL", "request");
    IllegalStateException refused = new IllegalStateException("400");
    Tracing.endAtReturn(sync, null, refused);
    assertEquals(List.of(async, sync), ended);
    assertSame(refused, sync.error());
  }

  @Test
  void endingTwiceHandsTheSpanOverOnce() {
    Span span = Tracing.start("k", "x", "CHAT_MODEL", null);
    Tracing.end(span, "first", null);
    Tracing.end(span, "second", new RuntimeException());
    assertEquals(List.of(span), ended);
    assertEquals("first", span.response());
  }

  @Test
  void aPushedStreamRecordsEachItemAndEndsOnCompleteOnThePushingThread() throws Exception {
    List<FakeAsyncStreamResponse.Handler<? super String>> subscribed = new ArrayList<>();
    FakeAsyncStreamResponse<String> original = new FakeAsyncStreamResponse<>() {
      @Override
      public FakeAsyncStreamResponse<String> subscribe(Handler<? super String> handler) {
        subscribed.add(handler);
        return this;
      }

      @Override
      public void close() {}
    };
    Span span = Tracing.start("k", "Completions", "CHAT_MODEL", "request");
    @SuppressWarnings("unchecked")
    FakeAsyncStreamResponse<String> observed = (FakeAsyncStreamResponse<String>)
        StreamingCalls.observeAsyncStreamResponse(original,
            FakeAsyncStreamResponse.class.getName(), span);
    List<String> seen = Collections.synchronizedList(new ArrayList<>());

    assertSame(observed, observed.subscribe(seen::add), "chaining stays on the wrapper");
    Thread pusher = new Thread(() -> {
      subscribed.get(0).onNext("a");
      subscribed.get(0).onNext("b");
      subscribed.get(0).onComplete(java.util.Optional.empty());
    });
    pusher.start();
    pusher.join();

    assertEquals(List.of("a", "b"), seen);
    assertEquals(List.of(span), ended);
    assertEquals(2, span.chunkCount());
    assertNull(span.error());
  }

  @Test
  void aPushedStreamThatFailsEndsItsSpanWithTheCallsOwnException() {
    List<FakeAsyncStreamResponse.Handler<? super String>> subscribed = new ArrayList<>();
    FakeAsyncStreamResponse<String> original = new FakeAsyncStreamResponse<>() {
      @Override
      public FakeAsyncStreamResponse<String> subscribe(Handler<? super String> handler) {
        subscribed.add(handler);
        return this;
      }

      @Override
      public void close() {}
    };
    Span span = Tracing.start("k", "Messages.create", "CHAT_MODEL", "request");
    @SuppressWarnings("unchecked")
    FakeAsyncStreamResponse<String> observed = (FakeAsyncStreamResponse<String>)
        StreamingCalls.observeAsyncStreamResponse(original,
            FakeAsyncStreamResponse.class.getName(), span);
    List<Throwable> seen = new ArrayList<>();
    observed.subscribe(new FakeAsyncStreamResponse.Handler<String>() {
      @Override
      public void onNext(String item) {}

      @Override
      public void onComplete(java.util.Optional<Throwable> error) {
        error.ifPresent(seen::add);
      }
    });
    IllegalStateException overloaded = new IllegalStateException("529 overloaded");
    java.util.concurrent.CompletionException wrapped =
        new java.util.concurrent.CompletionException(overloaded);

    subscribed.get(0).onComplete(java.util.Optional.of(wrapped));

    assertEquals(List.of(wrapped), seen, "the application's handler sees what the library passed");
    assertSame(overloaded, span.error());
  }

  /** The shape of the Google Gen AI SDK's ResponseStream: a class, iterable and closeable. */
  static final class FakeResponseStream implements Iterable<String>, AutoCloseable {
    private final Iterator<String> items;
    int closes;

    FakeResponseStream(Iterator<String> items) {
      this.items = items;
    }

    /** What the woven iterator() returns. */
    @Override
    public Iterator<String> iterator() {
      return StreamingCalls.iterating(this, items);
    }

    /** What the woven close() does. */
    @Override
    public void close() {
      closes++;
      StreamingCalls.closed(this);
    }
  }

  @Test
  void anIterableResponseReadToTheEndEndsItsSpanOnceWithEveryItem() {
    Span span = Tracing.start("k", "Models.generateContentStream", "CHAT_MODEL", "request");
    FakeResponseStream stream = new FakeResponseStream(List.of("a", "b", "c").iterator());
    StreamingCalls.observeIterable(stream, span);
    assertNull(Tracing.current(), "the call returned: later calls are not its children");

    List<String> read = new ArrayList<>();
    stream.forEach(read::add);
    stream.close();

    assertEquals(List.of("a", "b", "c"), read);
    assertEquals(List.of(span), ended);
    assertEquals(3, span.chunkCount());
    assertEquals("b", span.chunk(1));
    assertNull(span.error());
    assertEquals(1, stream.closes);
  }

  @Test
  void closingAnIterableResponseEarlyEndsTheSpanWithWhatWasRead() {
    Span span = Tracing.start("k", "stream", "CHAT_MODEL", "request");
    FakeResponseStream stream = new FakeResponseStream(List.of("a", "b").iterator());
    StreamingCalls.observeIterable(stream, span);

    Iterator<String> items = stream.iterator();
    assertEquals("a", items.next());
    stream.close();
    assertEquals("b", items.next(), "the application reads on as without the agent");

    assertEquals(List.of(span), ended);
    assertEquals(1, span.chunkCount());
  }

  @Test
  void aFailingIterableResponseEndsTheSpanWithTheErrorAndTheAppGetsTheSameError() {
    IllegalStateException cut = new IllegalStateException("stream cut mid-event");
    Iterator<String> failing = new Iterator<>() {
      private int read;

      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public String next() {
        if (read++ == 1) {
          throw cut;
        }
        return "a";
      }
    };
    Span span = Tracing.start("k", "stream", "CHAT_MODEL", "request");
    FakeResponseStream stream = new FakeResponseStream(failing);
    StreamingCalls.observeIterable(stream, span);
    Iterator<String> items = stream.iterator();
    items.next();

    assertSame(cut, assertThrows(IllegalStateException.class, items::next));
    assertEquals(List.of(span), ended);
    assertSame(cut, span.error());
    assertEquals(1, span.chunkCount());
  }

  @Test
  void readingPastTheEndOfAnIterableResponseIsNoFailureOfTheCall() {
    Span span = Tracing.start("k", "stream", "CHAT_MODEL", "request");
    FakeResponseStream stream = new FakeResponseStream(List.of("a").iterator());
    StreamingCalls.observeIterable(stream, span);
    Iterator<String> items = stream.iterator();
    items.next();

    assertThrows(NoSuchElementException.class, items::next);
    assertEquals(List.of(span), ended);
    assertNull(span.error());
  }

  @Test
  void anIterableResponseNotObservedIsLeftAlone() {
    Iterator<String> items = List.of("a").iterator();
    FakeResponseStream stream = new FakeResponseStream(items);
    assertSame(items, stream.iterator());
    stream.close();
    assertTrue(ended.isEmpty());
  }

  @Test
  void anIterableResponseFromAFutureIsObservedBeforeTheApplicationSeesIt() throws Exception {
    CompletableFuture<FakeResponseStream> future = new CompletableFuture<>();
    Span span = Tracing.start("k", "AsyncModels.generateContentStream", "CHAT_MODEL", "request");
    CompletableFuture<FakeResponseStream> observed =
        StreamingCalls.observeIterableWhenDone(future, span);
    assertNull(Tracing.current());
    List<String> read = Collections.synchronizedList(new ArrayList<>());
    // Registered before the completion: runs as soon as the response is there, before the agent's
    // own callbacks would if they were on the same future.
    CompletableFuture<Void> reading = observed.thenAccept(stream -> stream.forEach(read::add));

    Thread completer = new Thread(() ->
        future.complete(new FakeResponseStream(List.of("a", "b").iterator())));
    completer.start();
    completer.join();
    reading.join();

    assertEquals(List.of("a", "b"), read);
    assertEquals(List.of(span), ended);
    assertEquals(2, span.chunkCount());
  }

  @Test
  void aFailedFutureOfAnIterableResponseEndsTheSpanAndTheAppGetsTheSameFailure() {
    CompletableFuture<FakeResponseStream> future = new CompletableFuture<>();
    Span span = Tracing.start("k", "stream", "CHAT_MODEL", "request");
    CompletableFuture<FakeResponseStream> observed =
        StreamingCalls.observeIterableWhenDone(future.thenApply(stream -> stream), span);
    IllegalArgumentException refused = new IllegalArgumentException("429");
    future.completeExceptionally(refused);

    CompletionException thrown = assertThrows(CompletionException.class, observed::join);
    assertSame(refused, thrown.getCause());
    assertEquals(List.of(span), ended);
    assertSame(refused, span.error());
  }

  @Test
  void aCancelledFutureOfAnIterableResponseEndsTheSpan() {
    CompletableFuture<FakeResponseStream> future = new CompletableFuture<>();
    Span span = Tracing.start("k", "stream", "CHAT_MODEL", "request");
    StreamingCalls.observeIterableWhenDone(future, span).cancel(true);
    future.complete(new FakeResponseStream(List.of("a").iterator()));

    assertEquals(List.of(span), ended);
    assertTrue(span.error() instanceof CancellationException);
  }

  @Test
  void aLibraryWaitingOnTheStreamsCompletionFutureSeesTheSpanEndedFirst() {
    java.util.concurrent.CompletableFuture<Void> completion =
        new java.util.concurrent.CompletableFuture<>();
    FakeAsyncStreamResponse<String> original = new FakeAsyncStreamResponse<>() {
      @Override
      public FakeAsyncStreamResponse<String> subscribe(Handler<? super String> handler) {
        return this;
      }

      @Override
      public void close() {}

      @Override
      public java.util.concurrent.CompletableFuture<Void> onCompleteFuture() {
        return completion;
      }
    };
    Span span = Tracing.start("k", "Completions", "CHAT_MODEL", "request");
    @SuppressWarnings("unchecked")
    FakeAsyncStreamResponse<String> observed = (FakeAsyncStreamResponse<String>)
        StreamingCalls.observeAsyncStreamResponse(original,
            FakeAsyncStreamResponse.class.getName(), span);
    List<Boolean> endedWhenTheLibraryHeard = new ArrayList<>();
    observed.onCompleteFuture().whenComplete((done, failure) ->
        endedWhenTheLibraryHeard.add(span.hasEnded()));
    IllegalStateException serverError = new IllegalStateException("500");

    completion.completeExceptionally(serverError);

    assertEquals(List.of(true), endedWhenTheLibraryHeard,
        "a caller continuing from the future (a Flux it fails) comes after the span's end");
    assertSame(serverError, span.error());
  }
}
