package org.mlflow.agent.integration.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.integration.IdentityHeaders;
import org.mlflow.agent.integration.RecordedSpans;
import org.mlflow.agent.integration.SpanContent;

/** What a request root reads of the request, and how its span and trace metadata look. */
class ServletRootTest {

  private final List<String> calls = new ArrayList<>();

  /** A container's request, answering only what a test gives it and noting what was asked. */
  private HttpServletRequest request(String method, String uri, Map<String, String> headers,
      Map<String, Object> attributes) {
    return (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {HttpServletRequest.class}, (proxy, called, arguments) -> {
          calls.add(called.getName() + (arguments == null ? "" : " " + arguments[0]));
          switch (called.getName()) {
            case "getMethod":
              return method;
            case "getRequestURI":
              return uri;
            case "getHeader":
              return headers.get((String) arguments[0]);
            case "getAttribute":
              return attributes.get((String) arguments[0]);
            default:
              throw new AssertionError(called.getName() + " must not be called");
          }
        });
  }

  private static HttpServletResponse response(int status) {
    return (HttpServletResponse) Proxy.newProxyInstance(ServletRootTest.class.getClassLoader(),
        new Class<?>[] {HttpServletResponse.class}, (proxy, called, arguments) -> {
          if (called.getName().equals("getStatus")) {
            return status;
          }
          throw new AssertionError(called.getName() + " must not be called");
        });
  }

  @Test
  void theRootIsNamedByMethodAndPathAndReadsOnlyTheIdentityHeaders() {
    ServletRootCapture capture =
        new ServletRootCapture(new IdentityHeaders("X-User-Id", "X-Session-Id"));
    HttpServletRequest request = request("POST", "/app/chat;jsessionid=SECRET",
        Map.of("X-User-Id", "alice", "X-Session-Id", "s-42", "Authorization", "Bearer SECRET"),
        Map.of());

    assertEquals("POST /app/chat", capture.name(request));
    Object snapshot = capture.request(request);
    Span span = RecordedSpans.call(snapshot, capture.response(response(201)), null);
    SpanContent content = new SpanContent();
    new RequestRootRenderer().render(span, content);

    assertEquals(Map.of("method", "POST", "path", "/app/chat"), content.inputs());
    assertEquals(Map.of("status_code", 201), content.outputs());
    assertEquals(Map.of("mlflow.trace.user", "alice", "mlflow.trace.session", "s-42"),
        content.traceMetadata());
    String forwarded = "getAttribute jakarta.servlet.forward.request_uri";
    assertEquals(List.of("getAttribute " + ServletRootCapture.SPRING_ROUTE, forwarded,
        "getRequestURI", "getMethod", "getMethod", forwarded, "getRequestURI",
        "getHeader X-User-Id", "getHeader X-Session-Id"), calls);
  }

  @Test
  void springMvcsMatchedRouteNamesTheRootSoOneRouteIsOneName() {
    ServletRootCapture capture = new ServletRootCapture(new IdentityHeaders(null, null));
    HttpServletRequest request = request("GET", "/users/42", Map.of(),
        Map.of(ServletRootCapture.SPRING_ROUTE, "/users/{id}"));

    assertEquals("GET /users/{id}", capture.name(request));
    SpanContent content = new SpanContent();
    new RequestRootRenderer().render(RecordedSpans.call(capture.request(request), null, null),
        content);
    assertEquals(Map.of("method", "GET", "path", "/users/42"), content.inputs());
    assertNull(content.outputs());
    assertEquals(Map.of(), content.traceMetadata());
  }

  @Test
  void insideAForwardTheRootIsStillThePathTheClientAskedFor() {
    ServletRootCapture capture = new ServletRootCapture(new IdentityHeaders(null, null));
    HttpServletRequest request = request("POST", "/chat", Map.of(),
        Map.of("jakarta.servlet.forward.request_uri", "/ask"));

    assertEquals("POST /ask", capture.name(request));
  }

  @Test
  void aLongIdentityValueIsCut() {
    ServletRootCapture capture = new ServletRootCapture(new IdentityHeaders("X-User-Id", null));
    Object snapshot = capture.request(request("GET", "/", Map.of("X-User-Id", "u".repeat(1000)),
        Map.of()));
    assertEquals(ServletRootCapture.MAX_IDENTITY_CHARS, ((RequestSnapshot) snapshot).user.length());
  }

  @Test
  void anObjectThatIsNoServletRequestReadsAsNothing() {
    ServletRootCapture capture = new ServletRootCapture(new IdentityHeaders("X-User-Id", null));
    assertEquals("HTTP request", capture.name("not a request"));
    assertNull(capture.response("not a response"));
  }
}
