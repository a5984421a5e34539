package org.mlflow.agent.bootstrap;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bridge's proxies of library interfaces (responses, handlers, publishers), made one way.
 *
 * <p>The first proxy of an interface defines its proxy class, and the JDK does that inside its own
 * monitors with a native frame on the stack: virtual threads racing there cannot unmount and pin
 * their carriers (JFR {@code jdk.VirtualThreadPinned}, seen with 10,000 virtual threads making
 * their first OpenAI call at once). So the first proxy of each interface is made under a
 * {@link ReentrantLock}, where waiting virtual threads park and unmount; later ones go straight to
 * the JDK's cache.
 */
final class BridgeProxies {

  private static final ReentrantLock FIRST_DEFINITION = new ReentrantLock();
  /** Per interface, whether its proxy class exists; held by the class, so never pins a loader. */
  private static final ClassValue<AtomicBoolean> DEFINED = new ClassValue<>() {
    @Override
    protected AtomicBoolean computeValue(Class<?> type) {
      return new AtomicBoolean();
    }
  };

  private BridgeProxies() {}

  /** A proxy implementing {@code type}, defined in {@code type}'s own class loader. */
  static Object of(Class<?> type, InvocationHandler handler) {
    return of(type.getClassLoader(), type, handler);
  }

  /** A proxy implementing {@code type}, defined in {@code loader}. */
  static Object of(ClassLoader loader, Class<?> type, InvocationHandler handler) {
    AtomicBoolean defined = DEFINED.get(type);
    if (defined.get()) {
      return Proxy.newProxyInstance(loader, new Class<?>[] {type}, handler);
    }
    FIRST_DEFINITION.lock();
    try {
      Object proxy = Proxy.newProxyInstance(loader, new Class<?>[] {type}, handler);
      defined.set(true);
      return proxy;
    } finally {
      FIRST_DEFINITION.unlock();
    }
  }
}
