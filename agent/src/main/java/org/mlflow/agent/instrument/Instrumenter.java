package org.mlflow.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.isBootstrapClassLoader;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.not;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.implementation.bytecode.member.MethodInvocation;
import net.bytebuddy.utility.JavaModule;
import org.mlflow.agent.AgentLog;
import org.mlflow.agent.bootstrap.Tracing;
import org.mlflow.agent.integration.Hook;
import org.mlflow.agent.integration.Integration;
import org.mlflow.agent.methods.TracedMethods;

/**
 * Weaves the integrations' advice into library classes as they load.
 *
 * <p>Types are matched by name first (cheap, no class loading), through a cached type pool. The
 * agent's own classes and the JDK's are never touched. A matched type whose methods
 * do not have the expected shape (another library version) is left alone, with one line saying so.
 * Advice failures are routed to {@link Tracing#adviceFailed} instead of being silently dropped.
 */
public final class Instrumenter {

  private final Set<String> reportedShapeMismatches = ConcurrentHashMap.newKeySet();

  /**
   * Byte Buddy's switch that keeps it off {@code sun.misc.Unsafe}. The build relocates this name
   * along with Byte Buddy, so it only concerns the agent's copy, never the application's.
   */
  private static final String BYTE_BUDDY_SAFE_MODE = "net.bytebuddy.safe";

  public void install(Instrumentation instrumentation, List<Integration> integrations) {
    install(instrumentation, integrations, new TracedMethods(List.of()));
  }

  /**
   * @param tracedMethods the application's own methods to trace ({@code
   *     MLFLOW_AGENT_TRACE_METHODS}); never a JDK class or one the bootstrap loader loads
   */
  public void install(Instrumentation instrumentation, List<Integration> integrations,
      TracedMethods tracedMethods) {
    // Weaving inline advice needs no class injection, and reaching for Unsafe makes JDK 24+ print
    // deprecation warnings on the application's stderr.
    if (System.getProperty(BYTE_BUDDY_SAFE_MODE) == null) {
      System.setProperty(BYTE_BUDDY_SAFE_MODE, "true");
    }
    AgentBuilder builder = new AgentBuilder.Default()
        .disableClassFormatChanges()
        .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
        .with(AgentBuilder.TypeStrategy.Default.DECORATE)
        .with(AgentBuilder.PoolStrategy.Default.FAST)
        .with(AgentBuilder.DescriptionStrategy.Default.POOL_FIRST)
        .with(new FailureListener())
        .ignore(nameStartsWith("org.mlflow.agent.")
            .or(nameStartsWith("java."))
            // javax.servlet is no JDK package: it is the servlet API of older servers.
            .or(nameStartsWith("javax.").and(not(nameStartsWith("javax.servlet."))))
            .or(nameStartsWith("jdk."))
            .or(nameStartsWith("sun."))
            .or(nameStartsWith("com.sun."))
            .or(isSynthetic()));
    Advice.ExceptionHandler reportFailures = reportToTracing();
    for (Integration integration : integrations) {
      for (Hook hook : integration.hooks()) {
        builder = builder
            .type(hook.types())
            .transform((typeBuilder, type, loader, module, domain) ->
                weave(typeBuilder, type, hook, integration, reportFailures));
      }
    }
    if (!tracedMethods.isEmpty()) {
      builder = builder
          .type(tracedMethods.types(), not(isBootstrapClassLoader()))
          .transform((typeBuilder, type, loader, module, domain) ->
              tracedMethods.weave(typeBuilder, type, reportFailures));
    }
    builder.installOn(instrumentation);
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
    return typeBuilder.visit(Advice.withCustomMapping()
        .to(hook.advice())
        .withExceptionHandler(reportFailures)
        .on(hook.methods()));
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

  /** Any failure to transform a matched type is an agent bug: say it, once per type. */
  private static final class FailureListener extends AgentBuilder.Listener.Adapter {
    @Override
    public void onError(String typeName, ClassLoader classLoader, JavaModule module,
        boolean loaded, Throwable throwable) {
      AgentLog.errorOnce("instrument:" + typeName,
          "instrumentation failed for " + typeName + "; it runs untraced", throwable);
    }
  }
}
