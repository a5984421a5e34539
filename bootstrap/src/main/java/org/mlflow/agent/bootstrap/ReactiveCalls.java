package org.mlflow.agent.bootstrap;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.function.Consumer;

/**
 * Keeps a span open over a Project Reactor {@code Flux} or {@code Mono} a call returned, without
 * ever subscribing to it: the application subscribes as it would, and the span ends when the
 * publisher completes, fails or is cancelled, exactly once, on whichever thread that happens.
 *
 * <p>Reactor is the application's, not the agent's: it is reached through the returned object's
 * own class, and only through its public API ({@code Flux.from}, {@code Mono.fromDirect}, {@code
 * doOnNext}, {@code doOnComplete}, {@code doOnError}, {@code doOnCancel}), whose callbacks are JDK
 * functional interfaces. While the subscription runs, on whatever thread subscribes, the span is
 * that thread's current span, so calls the library makes then (the HTTP request of a lazy
 * stream) are its children.
 */
public final class ReactiveCalls {

  private static final String FLUX = "reactor.core.publisher.Flux";
  private static final String MONO = "reactor.core.publisher.Mono";
  private static final String PUBLISHER = "org.reactivestreams.Publisher";

  private ReactiveCalls() {}

  /**
   * The {@code Flux} to hand to the application instead of {@code flux}: the same items, failure
   * and completion, each item recorded as a chunk of {@code span}. Returns {@code flux} itself (and
   * ends the span) when the span is not recorded or the object is not a Reactor {@code Flux}.
   */
  public static Object observeFlux(Object flux, Span span) {
    return observe(flux, span, FLUX, true);
  }

  /**
   * The {@code Mono} to hand to the application instead of {@code mono}: the same value or
   * failure; the span ends with the value. Returns {@code mono} itself (and ends the span) when
   * the span is not recorded or the object is not a Reactor {@code Mono}.
   */
  public static Object observeMono(Object mono, Span span) {
    return observe(mono, span, MONO, false);
  }

  private static Object observe(Object publisher, Span span, String typeName, boolean items) {
    if (span == null) {
      return publisher;
    }
    if (span == Tracing.NOT_RECORDED || publisher == null) {
      Tracing.end(span, null, null);
      return publisher;
    }
    Object observed;
    try {
      observed = wrap(publisher, span, typeName, items);
    } catch (Throwable unexpected) {
      Tracing.end(span, null, null);
      Tracing.adviceFailed(unexpected);
      return publisher;
    }
    if (observed == publisher) {
      Tracing.end(span, null, null);
    } else {
      Tracing.detach(span);
    }
    return observed;
  }

  private static Object wrap(Object publisher, Span span, String typeName, boolean items)
      throws ReflectiveOperationException {
    Class<?> type = superclassNamed(publisher.getClass(), typeName);
    if (type == null) {
      return publisher;
    }
    ClassLoader loader = type.getClassLoader();
    Class<?> publisherType = Class.forName(PUBLISHER, false, loader);
    Object subscribingInSpan = BridgeProxies.of(loader, publisherType,
        new SubscribeInSpan(publisher, span));
    // Mono.fromDirect, not Mono.from: it does not cancel the source after its first value.
    String adapter = items ? "from" : "fromDirect";
    Object wrapped = type.getMethod(adapter, publisherType).invoke(null, subscribingInSpan);
    // Each callback runs before the signal reaches the application, so the span has ended by the
    // time the application sees the end of the stream.
    if (items) {
      Consumer<Object> chunk = item -> Tracing.chunk(span, item);
      wrapped = type.getMethod("doOnNext", Consumer.class).invoke(wrapped, chunk);
      Runnable completed = () -> Tracing.end(span, null, null);
      wrapped = type.getMethod("doOnComplete", Runnable.class).invoke(wrapped, completed);
    } else {
      Consumer<Object> success = value -> Tracing.end(span, value, null);
      wrapped = type.getMethod("doOnSuccess", Consumer.class).invoke(wrapped, success);
    }
    Consumer<Throwable> failure = error -> Tracing.end(span, null, error);
    wrapped = type.getMethod("doOnError", Consumer.class).invoke(wrapped, failure);
    // The application took what it needed and cancelled: the span ends with what was read.
    Runnable cancelled = () -> Tracing.end(span, null, null);
    return type.getMethod("doOnCancel", Runnable.class).invoke(wrapped, cancelled);
  }

  private static Class<?> superclassNamed(Class<?> type, String name) {
    for (Class<?> current = type; current != null; current = current.getSuperclass()) {
      if (current.getName().equals(name)) {
        return current;
      }
    }
    return null;
  }

  /** The library's publisher, subscribed to with the span current on the subscribing thread. */
  private static final class SubscribeInSpan implements InvocationHandler {
    private final Object target;
    private final Span span;

    SubscribeInSpan(Object target, Span span) {
      this.target = target;
      this.span = span;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      if (method.getDeclaringClass() == Object.class) {
        return objectMethod(proxy, method, args);
      }
      boolean inSpan = method.getName().equals("subscribe") && !span.hasEnded();
      Span previous = inSpan ? Tracing.makeCurrent(span) : null;
      try {
        return method.invoke(target, args);
      } catch (InvocationTargetException failure) {
        throw failure.getCause();
      } finally {
        if (inSpan) {
          Tracing.restoreCurrent(previous);
        }
      }
    }

    private Object objectMethod(Object proxy, Method method, Object[] args) {
      switch (method.getName()) {
        case "equals":
          return proxy == args[0];
        case "hashCode":
          return System.identityHashCode(proxy);
        default:
          return "observed " + target;
      }
    }
  }
}
