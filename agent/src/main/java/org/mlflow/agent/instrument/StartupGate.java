package org.mlflow.agent.instrument;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.mlflow.agent.AgentLog;

/**
 * The agent's one class file transformer: it lets the application start while the weaving
 * transformer (Byte Buddy, some 900 classes) is built on a background thread, then hands every
 * class load to it.
 *
 * <p>Until the weaver is ready, a class from one of the instrumented libraries' packages waits for
 * it (the thread loading it, at most {@link #MAX_WAIT_MILLIS}), so that the library's first call
 * is already traced; any other class passes at once and its name is remembered, so that a hook
 * matching it through its type hierarchy can still be woven by retransformation once the weaver
 * is ready. The application's own start-up never waits for Byte Buddy.
 */
final class StartupGate implements ClassFileTransformer {

  /** Far above the weaver's build time on a loaded machine (about 1 s); a bound, not a pace. */
  static final long MAX_WAIT_MILLIS = 30_000;

  private final List<String> libraryPackages;
  private final CountDownLatch weaverBuilt = new CountDownLatch(1);
  private final Set<String> passedUnwoven = ConcurrentHashMap.newKeySet();
  private volatile ClassFileTransformer weaver;
  private volatile boolean open;

  /** @param libraryPackages package prefixes in internal form, such as {@code com/openai/} */
  StartupGate(List<String> libraryPackages) {
    this.libraryPackages = List.copyOf(libraryPackages);
  }

  /**
   * Hands class loads to {@code weaver} from now on; a null weaver (it could not be built) lets
   * everything pass unwoven. Returns the internal names of the classes that passed unwoven.
   */
  Set<String> open(ClassFileTransformer weaver) {
    this.weaver = weaver;
    open = true;
    weaverBuilt.countDown();
    Set<String> passed = Set.copyOf(passedUnwoven);
    passedUnwoven.clear(); // the gate lives as long as the JVM; its start-up list need not
    return passed;
  }

  @Override
  public byte[] transform(Module module, ClassLoader loader, String className,
      Class<?> classBeingRedefined, ProtectionDomain domain, byte[] classFile)
      throws IllegalClassFormatException {
    ClassFileTransformer ready = awaitWeaverFor(loader, className);
    return ready == null ? null
        : ready.transform(module, loader, className, classBeingRedefined, domain, classFile);
  }

  @Override
  public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
      ProtectionDomain domain, byte[] classFile) throws IllegalClassFormatException {
    ClassFileTransformer ready = awaitWeaverFor(loader, className);
    return ready == null ? null
        : ready.transform(loader, className, classBeingRedefined, domain, classFile);
  }

  private ClassFileTransformer awaitWeaverFor(ClassLoader loader, String className) {
    if (className == null || NeverWoven.className(className) || NeverWoven.loader(loader)) {
      return null; // passed before Byte Buddy sees it: see NeverWoven for why that matters
    }
    if (open) {
      return weaver;
    }
    if (!inLibrary(className)) {
      if (loader != null) { // the bootstrap loader's classes (the JDK's) are never hooked
        passedUnwoven.add(className);
      }
      // Opened meanwhile: open() may have listed the names before this one, so weave it now.
      return open ? weaver : null;
    }
    try {
      if (!weaverBuilt.await(MAX_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
        AgentLog.warn("instrumentation was still starting after " + MAX_WAIT_MILLIS + " ms; "
            + className.replace('/', '.') + " is woven once it is ready.");
        passedUnwoven.add(className);
        return open ? weaver : null;
      }
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt(); // the app's interrupt is its own: keep it, load unwoven
      passedUnwoven.add(className);
      return open ? weaver : null;
    }
    return weaver;
  }

  private boolean inLibrary(String className) {
    for (String prefix : libraryPackages) {
      if (className.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
