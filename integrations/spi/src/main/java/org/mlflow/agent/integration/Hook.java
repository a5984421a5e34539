package org.mlflow.agent.integration;

import java.lang.annotation.Annotation;
import java.util.Map;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Advice to weave around the methods {@code methods} of the types {@code types}.
 *
 * <p>{@code types} should match by name first so that matching stays cheap; {@code methods}
 * should pin the argument and return types, so that a library version whose shape differs is
 * skipped (and reported) instead of woven wrongly.
 *
 * <p>{@link #withSpan} names the constants the advice's {@link SpanConstant} parameters receive,
 * so that hooks of the same call shape share one advice class.
 */
public final class Hook {

  private final String description;
  private final ElementMatcher<? super TypeDescription> types;
  private final ElementMatcher<? super MethodDescription> methods;
  private final Class<?> advice;
  private final Map<Class<? extends Annotation>, String> constants;

  private Hook(
      String description,
      ElementMatcher<? super TypeDescription> types,
      ElementMatcher<? super MethodDescription> methods,
      Class<?> advice,
      Map<Class<? extends Annotation>, String> constants) {
    this.description = description;
    this.types = types;
    this.methods = methods;
    this.advice = advice;
    this.constants = constants;
  }

  /**
   * @param description the hooked method as a person would name it, for log lines
   */
  public static Hook of(
      String description,
      ElementMatcher<? super TypeDescription> types,
      ElementMatcher<? super MethodDescription> methods,
      Class<?> advice) {
    return new Hook(description, types, methods, advice, Map.of());
  }

  /**
   * This hook, its advice's {@link SpanConstant} parameters bound to {@code contentKind}, {@code
   * spanName} and {@code spanType}.
   */
  public Hook withSpan(String contentKind, String spanName, String spanType) {
    return new Hook(description, types, methods, advice, Map.of(
        SpanConstant.ContentKind.class, contentKind,
        SpanConstant.Name.class, spanName,
        SpanConstant.Type.class, spanType));
  }

  public String description() {
    return description;
  }

  public ElementMatcher<? super TypeDescription> types() {
    return types;
  }

  public ElementMatcher<? super MethodDescription> methods() {
    return methods;
  }

  public Class<?> advice() {
    return advice;
  }

  /** The constants to bind in the advice, by the parameter annotation that receives each. */
  public Map<Class<? extends Annotation>, String> constants() {
    return constants;
  }
}
