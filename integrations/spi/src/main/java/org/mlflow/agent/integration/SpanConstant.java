package org.mlflow.agent.integration;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Advice parameters the agent fills with the constants a {@link Hook} names through {@link
 * Hook#withSpan}: one advice class then serves every hooked method of the same call shape, each
 * woven with its own content kind, span name and span type.
 */
public final class SpanConstant {

  private SpanConstant() {}

  /** The content kind handed to {@code Tracing.start}, which picks the span's renderer. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.PARAMETER)
  public @interface ContentKind {}

  /** The span's name, until its renderer names it otherwise. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.PARAMETER)
  public @interface Name {}

  /** The span's MLflow span type ({@code CHAT_MODEL}, {@code TOOL}...). */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.PARAMETER)
  public @interface Type {}
}
