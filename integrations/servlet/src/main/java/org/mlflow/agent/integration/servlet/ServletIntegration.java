package org.mlflow.agent.integration.servlet;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import java.util.List;
import java.util.Map;
import org.mlflow.agent.bootstrap.RootCapture;
import org.mlflow.agent.integration.ContentRenderer;
import org.mlflow.agent.integration.Hook;
import org.mlflow.agent.integration.IdentityHeaders;
import org.mlflow.agent.integration.Integration;

/**
 * Inbound HTTP requests served by a servlet: each request that makes a traced call (a model call,
 * a traced application method) becomes the root span of that call's trace, named {@code POST
 * /chat}; a request that makes none leaves no trace.
 *
 * <p>The hook is {@code HttpServlet.service(ServletRequest, ServletResponse)}, the method every
 * servlet container calls for every request to an {@code HttpServlet}: plain servlets and Spring
 * MVC's {@code DispatcherServlet} alike, on {@code jakarta.servlet} (Servlet 5+, Tomcat 10+,
 * Jetty 11+, Spring Boot 3+) and {@code javax.servlet} (older servers). A forward or include
 * inside the request calls it again, on the same thread: the outer request stays the root.
 */
public final class ServletIntegration implements Integration {

  static final String ROOT_CONTENT = "servlet.request";

  /** What MLflow's UI shows for a span that runs a sequence of steps. */
  static final String ROOT_SPAN_TYPE = "CHAIN";

  @Override
  public String name() {
    return "servlet";
  }

  @Override
  public List<String> libraryPackages() {
    return List.of("jakarta.servlet.http.", "javax.servlet.http.");
  }

  @Override
  public List<Hook> hooks() {
    return List.of(service("jakarta.servlet"), service("javax.servlet"));
  }

  private static Hook service(String api) {
    return Hook.of(api + ".http.HttpServlet.service(ServletRequest, ServletResponse)",
        named(api + ".http.HttpServlet"),
        named("service").and(isPublic()).and(takesArguments(2))
            .and(takesArgument(0, named(api + ".ServletRequest")))
            .and(takesArgument(1, named(api + ".ServletResponse")))
            .and(returns(void.class)),
        ServletServiceAdvice.class);
  }

  @Override
  public Map<String, ContentRenderer> renderers() {
    return Map.of(ROOT_CONTENT, new RequestRootRenderer());
  }

  @Override
  public Map<String, RootCapture> rootCaptures(IdentityHeaders identity) {
    return Map.of(ROOT_CONTENT, new ServletRootCapture(identity));
  }
}
