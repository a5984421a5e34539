package org.mlflow.agent.bootstrap;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Keeps a span open while an event stream is delivered to a push-style response handler, records
 * each event, and ends the span exactly once: when the events end, fail, or the subscriber cancels,
 * on whichever thread that happens.
 *
 * <p>The handler shape is the AWS SDK v2 {@code EventStreamResponseHandler}: {@code
 * responseReceived(R)} with the initial response, then {@code onEventStream(P)} with a Reactive
 * Streams publisher of the events ({@code subscribe(Subscriber)}, and default methods built on
 * it), and {@code complete()}. Everything is matched by method name, so no library class is
 * linked. The application's handler, publisher, subscriber and subscription see every call they
 * would see without the agent, with the same arguments, on the same threads.
 *
 * <p>{@code exceptionOccurred} does not end the span: a library may call it for an attempt it then
 * retries. A call that fails for good completes the call's future exceptionally; the advice ends
 * the span there ({@link Tracing#endWhenDone}), which also covers a future the application cancels.
 */
public final class EventStreamHandlers {

  private EventStreamHandlers() {}

  /**
   * Wraps {@code handler} so that the events it is given are recorded into {@code span}, and takes
   * the span off the calling thread: it ends on the library's threads, possibly before the call
   * that started it returns.
   *
   * @param handlerInterface the name of the interface the library's method takes the handler as
   * @return a proxy to hand to the library instead, or {@code handler} itself when the span is not
   *     recorded or the handler does not implement the interface
   */
  public static Object observe(Object handler, String handlerInterface, Span span) {
    if (handler == null || span == null || span == Tracing.NOT_RECORDED) {
      return handler;
    }
    Tracing.detach(span);
    Class<?> type = findInterface(handler.getClass(), handlerInterface);
    if (type == null) {
      return handler;
    }
    return BridgeProxies.of(type, new HandlerCalls(handler, new StreamState(span)));
  }

  private static Class<?> findInterface(Class<?> type, String name) {
    for (Class<?> current = type; current != null; current = current.getSuperclass()) {
      for (Class<?> candidate : current.getInterfaces()) {
        Class<?> found = candidate.getName().equals(name) ? candidate
            : findInterface(candidate, name);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  /** The proxied interface to build a proxy of {@code value} for, or null to pass it as it is. */
  private static Class<?> proxiableParameter(Method method, Object value) {
    Class<?> type = method.getParameterTypes()[0];
    return value != null && type.isInterface() && type.isInstance(value) ? type : null;
  }

  private static Object forward(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException failure) {
      throw failure.getCause();
    }
  }

  private static boolean is(Method method, String name, int parameterCount) {
    return method.getName().equals(name) && method.getParameterCount() == parameterCount;
  }

  /** One call's span and the initial response it ends with. */
  private static final class StreamState {
    private final Span span;
    private volatile Object initialResponse;

    StreamState(Span span) {
      this.span = span;
    }

    void end(Throwable error) {
      Tracing.end(span, initialResponse, error);
    }
  }

  private static final class HandlerCalls implements InvocationHandler {
    private final Object target;
    private final StreamState state;

    HandlerCalls(Object target, StreamState state) {
      this.target = target;
      this.state = state;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      if (is(method, "responseReceived", 1)) {
        state.initialResponse = args[0];
      } else if (is(method, "onEventStream", 1)) {
        Class<?> publisherType = proxiableParameter(method, args[0]);
        if (publisherType != null) {
          Object publisher = BridgeProxies.of(publisherType, new PublisherCalls(args[0], state));
          return forward(target, method, new Object[] {publisher});
        }
      } else if (is(method, "complete", 0)) {
        state.end(null);
      }
      return forward(target, method, args);
    }
  }

  /**
   * The event publisher, seen through. Its default methods ({@code map}, {@code
   * subscribe(Consumer)}...) run on the proxy, so every subscription goes through {@code
   * subscribe(Subscriber)} and is observed.
   */
  private static final class PublisherCalls implements InvocationHandler {
    private final Object target;
    private final StreamState state;

    PublisherCalls(Object target, StreamState state) {
      this.target = target;
      this.state = state;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      if (method.isDefault()) {
        return InvocationHandler.invokeDefault(proxy, method, args);
      }
      if (is(method, "subscribe", 1)) {
        Class<?> subscriberType = proxiableParameter(method, args[0]);
        if (subscriberType != null) {
          Object subscriber = BridgeProxies.of(subscriberType, new SubscriberCalls(args[0], state));
          return forward(target, method, new Object[] {subscriber});
        }
      }
      return forward(target, method, args);
    }
  }

  /** The application's subscriber, seen through: records events, ends the span at the end. */
  private static final class SubscriberCalls implements InvocationHandler {
    private final Object target;
    private final StreamState state;

    SubscriberCalls(Object target, StreamState state) {
      this.target = target;
      this.state = state;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      if (is(method, "onSubscribe", 1)) {
        Class<?> subscriptionType = proxiableParameter(method, args[0]);
        if (subscriptionType != null) {
          Object subscription =
              BridgeProxies.of(subscriptionType, new SubscriptionCalls(args[0], state));
          return forward(target, method, new Object[] {subscription});
        }
      } else if (is(method, "onNext", 1)) {
        Tracing.chunk(state.span, args[0]);
      } else if (is(method, "onError", 1)) {
        state.end((Throwable) args[0]);
      } else if (is(method, "onComplete", 0)) {
        state.end(null);
      }
      return forward(target, method, args);
    }
  }

  /** The subscription the application holds: cancelling it ends the span with what came. */
  private static final class SubscriptionCalls implements InvocationHandler {
    private final Object target;
    private final StreamState state;

    SubscriptionCalls(Object target, StreamState state) {
      this.target = target;
      this.state = state;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      if (is(method, "cancel", 0)) {
        state.end(null);
      }
      return forward(target, method, args);
    }
  }
}
