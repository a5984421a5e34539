package org.mlflow.agent.it.servlet;

import com.acme.assistant.Assistant;
import com.openai.client.OpenAIClient;
import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.util.Map;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * A {@code javax.servlet} servlet (the API of Tomcat 9, Jetty 9 and 10, Spring Boot 2) that asks
 * OpenAI, served one request the way a container calls it: {@code service(ServletRequest,
 * ServletResponse)}. No tracing code.
 *
 * <p>Arguments: the OpenAI base URL.
 */
public final class JavaxServletApp {

  private JavaxServletApp() {}

  static final class LegacyChatServlet extends HttpServlet {
    private final Assistant assistant;

    LegacyChatServlet(Assistant assistant) {
      this.assistant = assistant;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response)
        throws java.io.IOException {
      response.getWriter().println("answer: " + assistant.answer("What is MLflow?", 1).text());
    }
  }

  public static void main(String[] args) throws Exception {
    OpenAIClient client = Clients.openAi(args[0]);
    PrintWriter out = new PrintWriter(System.out, true);
    Map<String, Object> request = Map.of("getMethod", "POST", "getRequestURI", "/legacy/chat",
        "getHeader", "carol");
    Map<String, Object> response = Map.of("getWriter", out, "getStatus", 200);
    new LegacyChatServlet(new Assistant(client)).service(
        (ServletRequest) container(HttpServletRequest.class, request),
        (ServletResponse) container(HttpServletResponse.class, response));
    client.close();
  }

  /** A container's object answering the given methods; any other method answers null. */
  private static Object container(Class<?> type, Map<String, Object> answers) {
    return Proxy.newProxyInstance(JavaxServletApp.class.getClassLoader(), new Class<?>[] {type},
        (proxy, method, arguments) -> answers.get(method.getName()));
  }
}
