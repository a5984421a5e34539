package org.mlflow.agent.integration.servlet;

import java.lang.reflect.Method;
import org.mlflow.agent.bootstrap.RootCapture;
import org.mlflow.agent.integration.IdentityHeaders;

/**
 * Reads a servlet request when it becomes a root span, and its response status when it ends, on
 * the request's thread: only the method, the path (without query string or {@code ;jsessionid}
 * parameters, which may carry secrets) and the two configured identity headers. No other header,
 * parameter or cookie is read.
 *
 * <p>The request is read through the servlet API's own interfaces, found by name in the request's
 * class loader (the container's implementation classes may not be public).
 */
final class ServletRootCapture implements RootCapture {

  /** Spring MVC's request attribute holding the route that matched, e.g. {@code /users/{id}}. */
  static final String SPRING_ROUTE = "org.springframework.web.servlet.HandlerMapping.bestMatchingPattern";

  /** An identity header value longer than this is cut: it names someone, it is not content. */
  static final int MAX_IDENTITY_CHARS = 256;

  private static final ClassValue<ServletApi> APIS = new ClassValue<>() {
    @Override
    protected ServletApi computeValue(Class<?> type) {
      return ServletApi.of(type);
    }
  };

  private final IdentityHeaders identity;

  ServletRootCapture(IdentityHeaders identity) {
    this.identity = identity;
  }

  /** {@code POST /chat}, or with the route Spring MVC matched, {@code GET /users/{id}}. */
  @Override
  public String name(Object request) {
    ServletApi api = APIS.get(request.getClass());
    Object route = api.call(api.getAttribute, request, SPRING_ROUTE);
    String target = route instanceof String ? (String) route : path(api, request);
    Object method = api.call(api.getMethod, request);
    return method == null ? "HTTP request" : method + " " + target;
  }

  @Override
  public Object request(Object request) {
    ServletApi api = APIS.get(request.getClass());
    return new RequestSnapshot(
        (String) api.call(api.getMethod, request),
        path(api, request),
        header(api, request, identity.userHeader()),
        header(api, request, identity.sessionHeader()));
  }

  /** The response status, or null when the response cannot say it (Servlet 2.5). */
  @Override
  public Object response(Object response) {
    if (response == null) {
      return null;
    }
    ServletApi api = APIS.get(response.getClass());
    return api.call(api.getStatus, response);
  }

  /** The path the client asked for, also inside a forward (which changes the request URI). */
  private static String path(ServletApi api, Object request) {
    Object forwarded = api.call(api.getAttribute, request, api.forwardedUriAttribute);
    String uri = forwarded instanceof String
        ? (String) forwarded : (String) api.call(api.getRequestUri, request);
    if (uri == null) {
      return "";
    }
    int parameters = uri.indexOf(';');
    return parameters < 0 ? uri : uri.substring(0, parameters);
  }

  private static String header(ServletApi api, Object request, String name) {
    if (name == null) {
      return null;
    }
    Object value = api.call(api.getHeader, request, name);
    if (!(value instanceof String) || ((String) value).isEmpty()) {
      return null;
    }
    String text = (String) value;
    return text.length() <= MAX_IDENTITY_CHARS ? text : text.substring(0, MAX_IDENTITY_CHARS);
  }

  /** The servlet API methods this capture calls, from the interfaces a request class implements. */
  static final class ServletApi {
    final Method getMethod;
    final Method getRequestUri;
    final Method getHeader;
    final Method getAttribute;
    final Method getStatus;
    final String forwardedUriAttribute;

    private ServletApi(String api, Class<?> request, Class<?> response) {
      forwardedUriAttribute = api + ".forward.request_uri";
      getMethod = method(request, "getMethod");
      getRequestUri = method(request, "getRequestURI");
      getHeader = method(request, "getHeader", String.class);
      getAttribute = method(request, "getAttribute", String.class);
      getStatus = method(response, "getStatus");
    }

    static ServletApi of(Class<?> type) {
      for (String api : new String[] {"jakarta.servlet", "javax.servlet"}) {
        Class<?> request = find(api + ".http.HttpServletRequest", type);
        Class<?> response = find(api + ".http.HttpServletResponse", type);
        if ((request != null && request.isAssignableFrom(type))
            || (response != null && response.isAssignableFrom(type))) {
          return new ServletApi(api, request, response);
        }
      }
      return new ServletApi("", null, null);
    }

    Object call(Method method, Object target, Object... arguments) {
      if (method == null || !method.getDeclaringClass().isInstance(target)) {
        return null;
      }
      try {
        return method.invoke(target, arguments);
      } catch (ReflectiveOperationException | RuntimeException unreadable) {
        return null;
      }
    }

    private static Class<?> find(String name, Class<?> from) {
      try {
        return Class.forName(name, false, from.getClassLoader());
      } catch (ClassNotFoundException | LinkageError absent) {
        return null;
      }
    }

    private static Method method(Class<?> api, String name, Class<?>... parameters) {
      if (api == null) {
        return null;
      }
      try {
        return api.getMethod(name, parameters);
      } catch (NoSuchMethodException absent) {
        return null;
      }
    }
  }
}
