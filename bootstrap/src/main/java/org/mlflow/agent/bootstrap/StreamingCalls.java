package org.mlflow.agent.bootstrap;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Keeps a span open for as long as a streamed response is being read, records each item, and ends
 * the span exactly once: when the stream is exhausted, fails, or is closed early, on whichever
 * thread that happens. The application reads the same items, in the same order, on the same
 * threads as without the agent.
 */
public final class StreamingCalls {

  private static final BoundSpans STREAMS = new BoundSpans();

  private StreamingCalls() {}

  /**
   * Keeps {@code span} open while {@code response} is read, for a streamed response of a class
   * that is {@code Iterable} and {@code AutoCloseable} but not an interface, such as the {@code
   * ResponseStream} of the Google Gen AI SDK: it cannot be proxied, so the library's class is woven
   * instead, its {@code iterator()} calling {@link #iterating} and its {@code close()} calling
   * {@link #closed}. The application keeps the very object the library returned.
   */
  public static void observeIterable(Object response, Span span) {
    if (span == null || span == Tracing.NOT_RECORDED) {
      Tracing.end(span, null, null);
      return;
    }
    Tracing.detach(span);
    track(response, span);
  }

  private static void track(Object response, Span span) {
    if (response == null || !STREAMS.add(response, span)) {
      Tracing.end(span, null, null);
    }
  }

  /**
   * {@link #observeIterable} for a call whose future yields the streamed response. Returns the
   * future to hand to the application: it completes with the same response or the same failure,
   * on the same thread, once the response is observed, so no reading can start before that.
   */
  public static <T> CompletableFuture<T> observeIterableWhenDone(CompletableFuture<T> future,
      Span span) {
    if (span == null || span == Tracing.NOT_RECORDED || future == null) {
      Tracing.end(span, null, null);
      return future;
    }
    Tracing.detach(span);
    CompletableFuture<T> observed = future.whenComplete((response, failure) -> {
      try {
        if (failure != null) {
          Tracing.end(span, null, Tracing.unwrap(failure));
        } else {
          track(response, span);
        }
      } catch (Throwable agentFailure) {
        Tracing.adviceFailed(agentFailure); // the application's future completes as it would
      }
    });
    // An application that cancels its future never gets the response: the call ends there.
    observed.whenComplete((response, failure) -> {
      if (failure instanceof CancellationException) {
        Tracing.end(span, null, failure);
      }
    });
    return observed;
  }

  /**
   * The iterator to hand out for {@code response}: one that records each item and ends the span
   * when the items run out or reading fails, if the response is observed; else {@code iterator}.
   */
  public static <T> Iterator<T> iterating(Object response, Iterator<T> iterator) {
    Span span = iterator == null ? null : STREAMS.find(response);
    return span == null ? iterator : new ObservingIterator<>(iterator, span, response);
  }

  /** The application closed {@code response}: its span ends with what was read, if still open. */
  public static void closed(Object response) {
    Span span = STREAMS.find(response);
    if (span != null) {
      endRead(response, span, null);
    }
  }

  private static void endRead(Object response, Span span, Throwable error) {
    Tracing.end(span, null, error);
    STREAMS.remove(response);
  }

  /**
   * Wraps a response object whose interface has {@code Stream<T> stream()} and {@code close()},
   * such as the {@code StreamResponse} of the OpenAI and Anthropic SDKs.
   *
   * @param responseInterface the name of that interface
   * @return a proxy to hand to the application instead, or {@code response} itself when the span
   *     is not recorded or the response does not implement the interface
   */
  public static Object observeStreamResponse(Object response, String responseInterface,
      Span span) {
    if (!keepsOpen(response, span)) {
      return response;
    }
    Class<?> type = findInterface(response.getClass(), responseInterface);
    if (type == null) {
      Tracing.end(span, null, null);
      return response;
    }
    Tracing.detach(span);
    return BridgeProxies.of(type, new StreamResponseHandler(response, span));
  }

  /**
   * Wraps a push-style streamed response whose interface has {@code subscribe(Handler[, Executor])}
   * with {@code Handler.onNext(T)} / {@code onComplete(Optional<Throwable>)}, and {@code close()},
   * such as the {@code AsyncStreamResponse} of the OpenAI and Anthropic SDKs. The application's
   * handler sees every call it would see, on the same threads.
   *
   * @return a proxy to hand to the application instead, or {@code response} itself when the span
   *     is not recorded or the response does not implement the interface
   */
  public static Object observeAsyncStreamResponse(Object response, String responseInterface,
      Span span) {
    if (!keepsOpen(response, span)) {
      return response;
    }
    Class<?> type = findInterface(response.getClass(), responseInterface);
    if (type == null) {
      Tracing.end(span, null, null);
      return response;
    }
    Tracing.detach(span);
    return BridgeProxies.of(type, new AsyncStreamResponseHandler(response, span));
  }

  /**
   * Wraps a raw response whose value is read later, by the application or the library itself,
   * through a no-argument {@code parse()}, such as the {@code HttpResponseFor} of the OpenAI and
   * Anthropic SDKs. The span ends with the parsed value or what {@code parse()} threw; or, when the
   * response is closed before being parsed, without a value. A parsed value implementing {@code
   * streamInterface} is a stream response: it is observed as {@link #observeStreamResponse} does,
   * and the span ends with the stream.
   *
   * @return a proxy to hand out instead, or {@code response} itself when the span is not recorded
   *     or the response does not implement {@code responseInterface}
   */
  public static Object observeParsedResponse(Object response, String responseInterface,
      String streamInterface, Span span) {
    if (!keepsOpen(response, span)) {
      return response;
    }
    Class<?> type = findInterface(response.getClass(), responseInterface);
    if (type == null) {
      Tracing.end(span, null, null);
      return response;
    }
    Tracing.detach(span);
    return BridgeProxies.of(type, new ParsedResponseHandler(response, streamInterface, span));
  }

  /** A stream that records each item into {@code span} and ends it when done. */
  public static <T> Stream<T> observe(Stream<T> source, Span span) {
    Stream<T> observed = StreamSupport.stream(
        new ObservingSpliterator<>(source.spliterator(), span), source.isParallel());
    return observed.onClose(() -> {
      try {
        source.close();
      } finally {
        Tracing.end(span, null, null);
      }
    });
  }

  /**
   * Whether the call's span stays open past its return. An unrecorded call still leaves the
   * thread (or every later call on it would count as nested in it and go unrecorded); a call that
   * returned no response has nothing left to wait for.
   */
  private static boolean keepsOpen(Object response, Span span) {
    if (span == null) {
      return false;
    }
    if (span == Tracing.NOT_RECORDED || response == null) {
      Tracing.end(span, null, null);
      return false;
    }
    return true;
  }

  private static Class<?> findInterface(Class<?> type, String name) {
    for (Class<?> current = type; current != null; current = current.getSuperclass()) {
      for (Class<?> candidate : current.getInterfaces()) {
        if (candidate.getName().equals(name)) {
          return candidate;
        }
      }
    }
    return null;
  }

  private static final class StreamResponseHandler implements InvocationHandler {
    private final Object target;
    private final Span span;

    StreamResponseHandler(Object target, Span span) {
      this.target = target;
      this.span = span;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      Object result;
      try {
        result = method.invoke(target, args);
      } catch (InvocationTargetException failure) {
        if (method.getName().equals("stream")) {
          Tracing.end(span, null, failure.getCause());
        }
        throw failure.getCause();
      }
      if (method.getName().equals("stream") && result instanceof Stream
          && method.getParameterCount() == 0) {
        return observe((Stream<?>) result, span);
      }
      if (method.getName().equals("close") && method.getParameterCount() == 0) {
        Tracing.end(span, null, null); // a no-op when the stream already ended it
      }
      return result;
    }
  }

  private static final class ParsedResponseHandler implements InvocationHandler {
    private final Object target;
    private final String streamInterface;
    private final Span span;
    /**
     * The parsed stream and the proxy handed out for it: parse() is memoised, so the same proxy
     * is handed out again. Written by the thread that parses (one reads a response).
     */
    private Object parsedStream;
    private Object observedStream;

    ParsedResponseHandler(Object target, String streamInterface, Span span) {
      this.target = target;
      this.streamInterface = streamInterface;
      this.span = span;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      boolean parse = method.getName().equals("parse") && method.getParameterCount() == 0;
      Object result;
      try {
        result = method.invoke(target, args);
      } catch (InvocationTargetException failure) {
        if (parse) {
          Tracing.end(span, null, failure.getCause());
        }
        throw failure.getCause();
      }
      if (parse) {
        return parsed(result);
      }
      if (method.getName().equals("close") && method.getParameterCount() == 0) {
        Tracing.end(span, null, null); // a no-op when parse() or the stream already ended it
      }
      return result;
    }

    private Object parsed(Object value) {
      if (value == null || findInterface(value.getClass(), streamInterface) == null) {
        Tracing.end(span, value, null);
        return value;
      }
      if (value != parsedStream) {
        parsedStream = value;
        observedStream = observeStreamResponse(value, streamInterface, span);
      }
      return observedStream;
    }
  }

  private static final class AsyncStreamResponseHandler implements InvocationHandler {
    private final Object target;
    private final Span span;

    AsyncStreamResponseHandler(Object target, Span span) {
      this.target = target;
      this.span = span;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      Object[] forwarded = args;
      boolean subscribe = method.getName().equals("subscribe") && args != null && args.length > 0
          && args[0] != null && method.getParameterTypes()[0].isInterface();
      if (subscribe) {
        forwarded = args.clone();
        Class<?> handlerType = method.getParameterTypes()[0];
        forwarded[0] = BridgeProxies.of(handlerType, new ItemHandler(args[0], span));
      }
      Object result;
      try {
        result = method.invoke(target, forwarded);
      } catch (InvocationTargetException failure) {
        if (subscribe) {
          Tracing.end(span, null, failure.getCause());
        }
        throw failure.getCause();
      }
      if (method.getName().equals("close") && method.getParameterCount() == 0) {
        Tracing.end(span, null, null);
      }
      if (method.getName().equals("onCompleteFuture") && result instanceof CompletableFuture) {
        // A caller continuing from the stream's completion (Spring AI fails or completes its Flux
        // there) must find the span ended, and the span inside the caller's own span ended first.
        return ((CompletableFuture<?>) result).whenComplete(
            (done, failure) -> Tracing.end(span, null, Tracing.unwrap(failure)));
      }
      // subscribe() returns the response itself, for chaining: keep the application on the proxy.
      return result == target ? proxy : result;
    }
  }

  /** The application's stream handler, seen through: records items, ends the span at the end. */
  private static final class ItemHandler implements InvocationHandler {
    private final Object target;
    private final Span span;

    ItemHandler(Object target, Span span) {
      this.target = target;
      this.span = span;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      String name = method.getName();
      if (name.equals("onNext") && args != null && args.length == 1) {
        Tracing.chunk(span, args[0]);
      } else if (name.equals("onComplete") && args != null && args.length == 1) {
        Object outcome = args[0];
        Throwable error = outcome instanceof java.util.Optional
            ? (Throwable) ((java.util.Optional<?>) outcome).orElse(null)
            : null;
        Tracing.end(span, null, Tracing.unwrap(error));
      }
      try {
        return method.invoke(target, args);
      } catch (InvocationTargetException failure) {
        throw failure.getCause();
      }
    }
  }

  /** Passes items through one by one, recording each; the end of the items ends the span. */
  private static final class ObservingIterator<T> implements Iterator<T> {
    private final Iterator<T> source;
    private final Span span;
    private final Object response;

    ObservingIterator(Iterator<T> source, Span span, Object response) {
      this.source = source;
      this.span = span;
      this.response = response;
    }

    @Override
    public boolean hasNext() {
      boolean more;
      try {
        more = source.hasNext();
      } catch (RuntimeException | Error failure) {
        endRead(response, span, failure);
        throw failure;
      }
      if (!more) {
        endRead(response, span, null);
      }
      return more;
    }

    @Override
    public T next() {
      T item;
      try {
        item = source.next();
      } catch (NoSuchElementException exhausted) {
        endRead(response, span, null); // read past the end: the stream itself went well
        throw exhausted;
      } catch (RuntimeException | Error failure) {
        endRead(response, span, failure);
        throw failure;
      }
      Tracing.chunk(span, item);
      return item;
    }

    @Override
    public void remove() {
      source.remove();
    }
  }

  /** Passes items through one by one, recording each; the end of the items ends the span. */
  private static final class ObservingSpliterator<T> implements Spliterator<T> {
    private final Spliterator<T> source;
    private final Span span;

    ObservingSpliterator(Spliterator<T> source, Span span) {
      this.source = source;
      this.span = span;
    }

    @Override
    public boolean tryAdvance(Consumer<? super T> action) {
      boolean advanced;
      try {
        advanced = source.tryAdvance(item -> {
          Tracing.chunk(span, item);
          action.accept(item);
        });
      } catch (RuntimeException | Error failure) {
        Tracing.end(span, null, failure);
        throw failure;
      }
      if (!advanced) {
        Tracing.end(span, null, null);
      }
      return advanced;
    }

    @Override
    public Spliterator<T> trySplit() {
      return null; // keeps the items in order on the consuming thread
    }

    @Override
    public long estimateSize() {
      return source.estimateSize();
    }

    @Override
    public int characteristics() {
      return source.characteristics() & ~(SIZED | SUBSIZED);
    }
  }
}
