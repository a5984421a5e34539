package org.mlflow.agent.instrument;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
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
 *
 * <p>Only a class that may be hooked reaches Byte Buddy, which parses every class it is handed: one
 * in a library's packages, or one whose class loader can see a library type that classes in any
 * package may implement ({@link org.mlflow.agent.integration.Integration#typesImplementedAnywhere}).
 * An app without such a library pays no parsing for its own and its other dependencies' classes.
 */
final class StartupGate implements ClassFileTransformer {

  /** Far above the weaver's build time on a loaded machine (about 1 s); a bound, not a pace. */
  static final long MAX_WAIT_MILLIS = 30_000;

  private final List<String> libraryPackages;
  /** Resource names ({@code org/x/Type.class}) of the types implemented anywhere. */
  private final List<String> typesImplementedAnywhere;
  /** The packages of those types: a class loading from them may make a loader see them. */
  private final List<String> packagesOfTypesImplementedAnywhere;
  /** Whether each class loader sees one of those types; weak, so loaders can still be unloaded. */
  private final Map<ClassLoader, Boolean> loadersSeeingThem = new WeakHashMap<>();
  /** Set while this thread asks a loader for a resource, which may load classes itself. */
  private final ThreadLocal<Boolean> askingLoader = new ThreadLocal<>();
  private final CountDownLatch weaverBuilt = new CountDownLatch(1);
  private final Set<String> passedUnwoven = ConcurrentHashMap.newKeySet();
  private volatile ClassFileTransformer weaver;
  private volatile boolean open;

  /**
   * @param libraryPackages package prefixes in internal form, such as {@code com/openai/}
   * @param typesImplementedAnywhere internal names, such as {@code org/x/ChatModel}
   */
  StartupGate(List<String> libraryPackages, List<String> typesImplementedAnywhere) {
    this.libraryPackages = List.copyOf(libraryPackages);
    List<String> resources = new ArrayList<>();
    List<String> packages = new ArrayList<>();
    for (String type : typesImplementedAnywhere) {
      resources.add(type + ".class");
      packages.add(type.substring(0, type.lastIndexOf('/') + 1));
    }
    this.typesImplementedAnywhere = List.copyOf(resources);
    this.packagesOfTypesImplementedAnywhere = List.copyOf(packages);
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
    if (startsWithAny(className, packagesOfTypesImplementedAnywhere)) {
      forgetLoadersThatSawNone(); // a loader may see them now (a class path grown at run time)
    }
    boolean inLibrary = startsWithAny(className, libraryPackages);
    if (!inLibrary && !mayImplementAHookedType(loader)) {
      return null;
    }
    if (open) {
      return weaver;
    }
    if (!inLibrary) {
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

  /**
   * Whether a class outside the libraries' packages may still be hooked: its loader sees a type
   * implemented anywhere. Asked once per loader; a "no" is forgotten when a class of those types'
   * packages loads.
   */
  private boolean mayImplementAHookedType(ClassLoader loader) {
    if (typesImplementedAnywhere.isEmpty() || loader == null) {
      return false; // the bootstrap loader's classes (the JDK's) are never hooked
    }
    synchronized (loadersSeeingThem) {
      Boolean seen = loadersSeeingThem.get(loader);
      if (seen != null) {
        return seen;
      }
    }
    if (askingLoader.get() != null) {
      return true; // loaded while asking the loader below: Byte Buddy decides, as for any class
    }
    boolean seen = false;
    askingLoader.set(Boolean.TRUE);
    try {
      for (String type : typesImplementedAnywhere) {
        if (loader.getResource(type) != null) {
          seen = true;
          break;
        }
      }
    } catch (RuntimeException | LinkageError unreadable) {
      seen = true; // a loader that cannot answer gets every class checked, as before
    } finally {
      askingLoader.remove();
    }
    synchronized (loadersSeeingThem) {
      loadersSeeingThem.put(loader, seen);
    }
    return seen;
  }

  private void forgetLoadersThatSawNone() {
    synchronized (loadersSeeingThem) {
      // A loop, not removeIf with a lambda: no class spun on a class-loading path.
      for (Iterator<Boolean> seen = loadersSeeingThem.values().iterator(); seen.hasNext(); ) {
        if (!seen.next()) {
          seen.remove();
        }
      }
    }
  }

  private static boolean startsWithAny(String className, List<String> prefixes) {
    for (String prefix : prefixes) {
      if (className.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
