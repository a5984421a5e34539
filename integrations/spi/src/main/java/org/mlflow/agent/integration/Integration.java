package org.mlflow.agent.integration;

import java.util.List;
import java.util.Map;
import org.mlflow.agent.bootstrap.RootCapture;

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

  /**
   * How the pending roots this integration's advice marks ({@code Tracing.pendRoot}) are read, by
   * content kind; an integration of inbound requests (a server) has some.
   *
   * @param identity the request headers that name the user and the session, as configured
   */
  default Map<String, RootCapture> rootCaptures(IdentityHeaders identity) {
    return Map.of();
  }
}
