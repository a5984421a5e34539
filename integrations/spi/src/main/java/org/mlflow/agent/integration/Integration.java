package org.mlflow.agent.integration;

import java.util.List;
import java.util.Map;

/**
 * One instrumented library: where to weave ({@link #hooks()}) and how to read the objects its
 * advice captured ({@link #renderers()}). Found by the agent through {@link java.util.ServiceLoader}.
 */
public interface Integration {

  /** Short name used in logs and in the start-up line, e.g. {@code openai}. */
  String name();

  List<Hook> hooks();

  /** Renderers by the content kind the advice passes to {@code Tracing.start}. */
  Map<String, ContentRenderer> renderers();
}
