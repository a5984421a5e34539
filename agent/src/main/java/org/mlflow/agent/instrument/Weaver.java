package org.mlflow.agent.instrument;

import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.implementation.bytecode.member.MethodInvocation;
import net.bytebuddy.matcher.ElementMatcher;
import org.mlflow.agent.AgentLog;
import org.mlflow.agent.AgentPremain;
import org.mlflow.agent.bootstrap.Tracing;
import org.mlflow.agent.integration.Hook;
import org.mlflow.agent.integration.Integration;
import org.mlflow.agent.methods.TracedMethods;

/**
 * Byte Buddy's side of the {@link Instrumenter}, used on its background thread only: builds the
 * weaver, opens the {@link StartupGate} with it, and weaves the hooked classes that loaded before.
 *
 * <p>The weaver is an {@link AdviceTransformer} with one rule per hook: types are matched by name
 * first (cheap, no class loading), through a lazy type pool. The agent's own classes and the
 * JDK's are never touched. A matched type whose methods do not have the expected shape (another
 * library version) is left alone, with one line saying so. Advice failures are routed to {@link
 * Tracing#adviceFailed} instead of being silently dropped.
 */
final class Weaver {

  private final Set<String> reportedShapeMismatches = ConcurrentHashMap.newKeySet();

  /** Never woven (see {@link NeverWoven}); for classes retransformed after they loaded. */
  private static final ElementMatcher<TypeDescription> IGNORED =
      new ElementMatcher.Junction.AbstractBase<TypeDescription>() {
        @Override
        public boolean matches(TypeDescription type) {
          return NeverWoven.className(type.getInternalName());
        }
      };

  private final List<Integration> integrations;
  private final TracedMethods tracedMethods;

  Weaver(List<Integration> integrations, TracedMethods tracedMethods) {
    this.integrations = integrations;
    this.tracedMethods = tracedMethods;
  }

  /** Builds the weaver, hands it to {@code gate}, then weaves what loaded before. */
  void open(StartupGate gate, Instrumentation instrumentation, boolean attachedLate) {
    Advice.ExceptionHandler reportFailures;
    ClassFileTransformer weaver;
    try {
      reportFailures = reportToTracing();
      weaver = new AdviceTransformer(rules(reportFailures));
    } catch (Throwable failure) {
      gate.open(null);
      AgentLog.errorOnce("instrument:weaver", "instrumentation could not start; nothing is"
          + " traced", failure);
      return;
    }
    initializeBridge();
    Set<String> passedUnwoven = gate.open(weaver);
    WeaverWarmUp.run(reportFailures);
    List<ElementMatcher<? super TypeDescription>> hookedTypes = new ArrayList<>();
    integrations.forEach(integration ->
        integration.hooks().forEach(hook -> hookedTypes.add(hook.types())));
    hookedTypes.add(tracedMethods.types());
    List<Class<?>> toWeave = new ArrayList<>();
    for (Class<?> loaded : instrumentation.getAllLoadedClasses()) {
      // Bootstrap classes (the JDK's, the bridge's) are never hooked: skip them before any lookup.
      if (loaded.getClassLoader() != null
          && (attachedLate || passedUnwoven.contains(loaded.getName().replace('.', '/')))
          && instrumentation.isModifiableClass(loaded)
          && isHooked(loaded, hookedTypes)) {
        toWeave.add(loaded);
      }
    }
    for (Class<?> type : toWeave) {
      try {
        instrumentation.retransformClasses(type);
      } catch (Throwable failure) {
        AgentLog.errorOnce("instrument:" + type.getName(),
            "instrumentation failed for " + type.getName() + "; it runs untraced", failure);
      }
    }
  }

  /**
   * Initializes every class of the bridge, here on the weaver's thread, before the first class is
   * woven: woven code runs only after that, so no application thread ever waits for a bridge
   * class to be initialized by another, a wait that pins a virtual thread to its carrier (JFR
   * {@code jdk.VirtualThreadPinned}, with thousands of virtual threads making a first call at
   * once). A class that cannot be initialized is left to its first use, as before.
   */
  private static void initializeBridge() {
    try (InputStream jar = Weaver.class.getClassLoader()
            .getResourceAsStream(AgentPremain.BOOTSTRAP_JAR_RESOURCE);
        JarInputStream entries = new JarInputStream(jar)) {
      for (JarEntry entry = entries.getNextJarEntry(); entry != null;
          entry = entries.getNextJarEntry()) {
        String name = entry.getName();
        if (name.endsWith(".class") && !name.endsWith("module-info.class")) {
          try {
            Class.forName(name.substring(0, name.length() - ".class".length()).replace('/', '.'),
                true, null);
          } catch (ClassNotFoundException | LinkageError notInitialized) {
            // initialized at its first use instead
          }
        }
      }
    } catch (IOException | RuntimeException unreadable) {
      // each class is initialized at its first use instead
    }
  }

  private static boolean isHooked(Class<?> loaded,
      List<ElementMatcher<? super TypeDescription>> hookedTypes) {
    TypeDescription type = TypeDescription.ForLoadedType.of(loaded);
    if (IGNORED.matches(type)) {
      return false;
    }
    for (ElementMatcher<? super TypeDescription> hooked : hookedTypes) {
      if (hooked.matches(type)) {
        return true;
      }
    }
    return false;
  }

  private List<AdviceTransformer.Rule> rules(Advice.ExceptionHandler reportFailures) {
    List<AdviceTransformer.Rule> rules = new ArrayList<>();
    for (Integration integration : integrations) {
      for (Hook hook : integration.hooks()) {
        rules.add(new AdviceTransformer.Rule() {
          @Override
          public boolean matches(TypeDescription type, ClassLoader loader) {
            return hook.types().matches(type);
          }

          @Override
          public DynamicType.Builder<?> weave(DynamicType.Builder<?> builder,
              TypeDescription type) {
            return Weaver.this.weave(builder, type, hook, integration, reportFailures);
          }
        });
      }
    }
    if (!tracedMethods.isEmpty()) {
      ElementMatcher<TypeDescription> tracedTypes = tracedMethods.types();
      rules.add(new AdviceTransformer.Rule() {
        @Override
        public boolean matches(TypeDescription type, ClassLoader loader) {
          return loader != null && tracedTypes.matches(type); // never the JDK's
        }

        @Override
        public DynamicType.Builder<?> weave(DynamicType.Builder<?> builder,
            TypeDescription type) {
          return tracedMethods.weave(builder, type, reportFailures);
        }
      });
    }
    return rules;
  }

  private DynamicType.Builder<?> weave(DynamicType.Builder<?> typeBuilder, TypeDescription type,
      Hook hook, Integration integration, Advice.ExceptionHandler reportFailures) {
    if (type.getDeclaredMethods().filter(hook.methods()).isEmpty()) {
      if (reportedShapeMismatches.add(type.getName() + "#" + hook.description())) {
        AgentLog.warn(integration.name() + ": " + hook.description() + " not found in "
            + type.getName() + " (an unsupported library version?); those calls are not traced.");
      }
      return typeBuilder;
    }
    return typeBuilder.visit(advice(hook, reportFailures));
  }

  /** The hook's advice on its methods, its {@link Hook#constants()} bound. */
  static AsmVisitorWrapper advice(Hook hook, Advice.ExceptionHandler reportFailures) {
    Advice.WithCustomMapping mapping = Advice.withCustomMapping();
    for (Map.Entry<Class<? extends Annotation>, String> constant : hook.constants().entrySet()) {
      mapping = mapping.bind(constant.getKey(), constant.getValue());
    }
    return mapping
        .to(hook.advice())
        .withExceptionHandler(reportFailures)
        .on(hook.methods());
  }

  private static Advice.ExceptionHandler reportToTracing() {
    try {
      Method report = Tracing.class.getMethod("adviceFailed", Throwable.class);
      return new Advice.ExceptionHandler.Simple(
          MethodInvocation.invoke(new MethodDescription.ForLoadedMethod(report)));
    } catch (NoSuchMethodException impossible) {
      throw new IllegalStateException(impossible);
    }
  }
}
