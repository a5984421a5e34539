package org.mlflow.agent.bootstrap;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Keeps a span open while a library delivers a call's result to a callback handler the application
 * passed (a streaming chat handler): records each partial result, and ends the span exactly once
 * on the completing or failing callback, on whichever thread the library calls it. The span is not
 * taken off the calling thread here: the advice does that when the call returns, so that a hooked
 * method the call delegates to still sees it as current.
 *
 * <p>The handler's interface is matched by name; its methods are matched by name and argument
 * count, so no library class is linked. The application's handler gets every call, with the same
 * arguments, on the same thread, and what it throws reaches the library unchanged.
 */
public final class CallbackHandlers {

  private CallbackHandlers() {}

  /**
   * @param handlerInterface the name of the interface the library takes the handler as
   * @param partialMethod the callback with one partial result, recorded as a chunk (every method
   *     of that name counts, whatever its arguments; the chunk is its first argument)
   * @param completeMethod the one-argument callback with the final result, which ends the span
   * @param errorMethod the one-argument callback with the failure, which ends the span as an error
   * @return a proxy to hand to the library instead, or {@code handler} itself when the span is not
   *     recorded or the handler does not implement the interface
   */
  public static Object observe(Object handler, String handlerInterface, Span span,
      String partialMethod, String completeMethod, String errorMethod) {
    if (handler == null || span == null || span == Tracing.NOT_RECORDED) {
      return handler;
    }
    Class<?> type = findInterface(handler.getClass(), handlerInterface);
    if (type == null) {
      return handler;
    }
    return BridgeProxies.of(type,
        new Callbacks(handler, span, partialMethod, completeMethod, errorMethod));
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

  private static final class Callbacks implements InvocationHandler {
    private final Object target;
    private final Span span;
    private final String partialMethod;
    private final String completeMethod;
    private final String errorMethod;

    Callbacks(Object target, Span span, String partialMethod, String completeMethod,
        String errorMethod) {
      this.target = target;
      this.span = span;
      this.partialMethod = partialMethod;
      this.completeMethod = completeMethod;
      this.errorMethod = errorMethod;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      String name = method.getName();
      int count = args == null ? 0 : args.length;
      if (count >= 1 && name.equals(partialMethod)) {
        Tracing.chunk(span, args[0]);
      } else if (count == 1 && name.equals(completeMethod)) {
        Tracing.end(span, args[0], null);
      } else if (count == 1 && name.equals(errorMethod) && args[0] instanceof Throwable) {
        Tracing.end(span, null, (Throwable) args[0]);
      }
      try {
        return method.invoke(target, args);
      } catch (InvocationTargetException failure) {
        throw failure.getCause();
      }
    }
  }
}
