package org.mlflow.agent.integration;

import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Advice to weave around the methods {@code methods} of the types {@code types}.
 *
 * <p>{@code types} should match by name first so that matching stays cheap; {@code methods}
 * should pin the argument and return types, so that a library version whose shape differs is
 * skipped (and reported) instead of woven wrongly.
 */
public final class Hook {

  private final String description;
  private final ElementMatcher<? super TypeDescription> types;
  private final ElementMatcher<? super MethodDescription> methods;
  private final Class<?> advice;

  private Hook(
      String description,
      ElementMatcher<? super TypeDescription> types,
      ElementMatcher<? super MethodDescription> methods,
      Class<?> advice) {
    this.description = description;
    this.types = types;
    this.methods = methods;
    this.advice = advice;
  }

  /**
   * @param description the hooked method as a person would name it, for log lines
   */
  public static Hook of(
      String description,
      ElementMatcher<? super TypeDescription> types,
      ElementMatcher<? super MethodDescription> methods,
      Class<?> advice) {
    return new Hook(description, types, methods, advice);
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
}
