package org.mlflow.agent.methods;

import static net.bytebuddy.matcher.ElementMatchers.hasDescriptor;
import static net.bytebuddy.matcher.ElementMatchers.named;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.method.ParameterDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import org.mlflow.agent.AgentLog;

/**
 * Weaves {@link TracedMethodAdvice} around the application methods {@code
 * MLFLOW_AGENT_TRACE_METHODS} names, each with its own span name ({@code Class.method}, the class's
 * simple name), span type and parameter names as constants.
 */
public final class TracedMethods {

  private final List<MethodPattern> patterns;

  public TracedMethods(List<MethodPattern> patterns) {
    this.patterns = List.copyOf(patterns);
  }

  public boolean isEmpty() {
    return patterns.isEmpty();
  }

  /** Name prefixes covering every class some pattern names (and maybe a few more). */
  public List<String> classNamePrefixes() {
    List<String> prefixes = new ArrayList<>(patterns.size());
    for (MethodPattern pattern : patterns) { // called in premain, where a lambda costs start-up
      prefixes.add(pattern.classNamePrefix());
    }
    return prefixes;
  }

  /** The classes some pattern names, by name only (no class is loaded to decide). */
  public ElementMatcher<TypeDescription> types() {
    return type -> patterns.stream().anyMatch(pattern -> pattern.matchesType(type.getName()));
  }

  public DynamicType.Builder<?> weave(DynamicType.Builder<?> builder, TypeDescription type,
      Advice.ExceptionHandler reportFailures) {
    for (MethodDescription.InDefinedShape method : type.getDeclaredMethods()) {
      MethodPattern pattern = patternFor(type, method);
      if (pattern == null) {
        continue;
      }
      builder = builder.visit(Advice.withCustomMapping()
          .bind(SpanName.class, spanName(type, method))
          .bind(SpanTypeName.class, pattern.spanType())
          .bind(ParameterNames.class, parameterNames(method))
          .to(TracedMethodAdvice.class)
          .withExceptionHandler(reportFailures)
          .on(named(method.getName()).and(hasDescriptor(method.getDescriptor()))));
    }
    for (MethodPattern pattern : patterns) {
      if (pattern.namesAMethodOf(type.getName())
          && type.getDeclaredMethods().filter(pattern::matchesMethod).isEmpty()) {
        AgentLog.warnOnce("trace-methods:" + pattern, "MLFLOW_AGENT_TRACE_METHODS names "
            + pattern.methodName() + ", which " + type.getName() + " does not declare as a"
            + " method with a body; nothing of it is traced", null);
      }
    }
    return builder;
  }

  /** The first pattern that traces {@code method}, or null: the first entry gives the span type. */
  private MethodPattern patternFor(TypeDescription type, MethodDescription method) {
    for (MethodPattern pattern : patterns) {
      if (pattern.matchesType(type.getName()) && pattern.matchesMethod(method)) {
        return pattern;
      }
    }
    return null;
  }

  /** {@code Bot.answer}: Python's {@code @mlflow.trace} names a span after its function. */
  static String spanName(TypeDescription type, MethodDescription method) {
    return type.getSimpleName() + "." + method.getName();
  }

  /** The names javac kept ({@code -parameters}), else {@code arg0, arg1, ...}. */
  static String parameterNames(MethodDescription method) {
    return method.getParameters().stream()
        .map(ParameterDescription::getName)
        .collect(Collectors.joining(","));
  }
}
