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

  /**
   * The packages, such as {@code com.openai.}, whose classes may be hooked and must therefore wait,
   * while the agent is still starting, for the weaver to be ready: their first call is then
   * traced. A hooked class outside them that loads during those first moments is woven a little
   * later, so calls it makes before that are not traced.
   */
  List<String> libraryPackages();

  /**
   * The library's types, by name, such as {@code org.springframework.ai.chat.model.ChatModel},
   * that an application class in any package may implement and be hooked for. The agent hands a
   * class outside every integration's {@link #libraryPackages} to its weaver only where one of
   * these can be loaded from the class's loader: everywhere else it costs no parsing at all.
   * Empty (the default) when every hooked class is in the library's packages.
   */
  default List<String> typesImplementedAnywhere() {
    return List.of();
  }

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
