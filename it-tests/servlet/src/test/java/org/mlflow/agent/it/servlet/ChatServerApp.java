package org.mlflow.agent.it.servlet;

import com.acme.assistant.Assistant;
import com.openai.client.OpenAIClient;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;

/**
 * A web app on an embedded Tomcat whose {@code /chat} servlet asks OpenAI (through the app's
 * {@link Assistant}); {@code /health} makes no model call; {@code /ask} forwards to {@code /chat}.
 * It sends itself three requests and prints the answers; no tracing code.
 *
 * <p>Arguments: the OpenAI base URL.
 */
public final class ChatServerApp {

  static final String USER_HEADER = "X-User-Id";
  static final String SESSION_HEADER = "X-Session-Id";
  /** Never to be seen in a trace: an Authorization header and a query parameter. */
  static final String BEARER = "Bearer SECRET-HEADER-TOKEN";
  static final String QUERY_SECRET = "SECRET-QUERY-TOKEN";

  /** Kept referenced: JUL forgets the level of a logger that was collected. */
  private static final Logger TOMCAT_LOG = Logger.getLogger("org.apache");

  private ChatServerApp() {}

  static final class ChatServlet extends HttpServlet {
    private final Assistant assistant;

    ChatServlet(Assistant assistant) {
      this.assistant = assistant;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      String question = new String(request.getInputStream().readAllBytes(), "UTF-8");
      Assistant.Reply reply = assistant.answer(question, 1);
      response.setContentType("text/plain");
      response.getWriter().print(reply.text());
    }
  }

  static final class HealthServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      response.getWriter().print("ok");
    }
  }

  static final class AskServlet extends HttpServlet {
    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response)
        throws IOException, jakarta.servlet.ServletException {
      request.getRequestDispatcher("/chat").forward(request, response);
    }
  }

  public static void main(String[] args) throws Exception {
    TOMCAT_LOG.setLevel(Level.WARNING);
    OpenAIClient client = Clients.openAi(args[0]);
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(Files.createTempDirectory("tomcat-").toString());
    tomcat.setPort(0);
    tomcat.getConnector().setProperty("address", "127.0.0.1");
    Context context = tomcat.addContext("", null);
    Tomcat.addServlet(context, "chat", new ChatServlet(new Assistant(client)));
    context.addServletMappingDecoded("/chat", "chat");
    Tomcat.addServlet(context, "health", new HealthServlet());
    context.addServletMappingDecoded("/health", "health");
    Tomcat.addServlet(context, "ask", new AskServlet());
    context.addServletMappingDecoded("/ask", "ask");
    tomcat.start();
    String base = "http://127.0.0.1:" + tomcat.getConnector().getLocalPort();

    HttpClient http = HttpClient.newHttpClient();
    print(http, HttpRequest.newBuilder(URI.create(base + "/chat"))
        .header(USER_HEADER, "alice").header(SESSION_HEADER, "session-1")
        .header("Authorization", BEARER)
        .POST(HttpRequest.BodyPublishers.ofString("What is MLflow?")).build());
    print(http, HttpRequest.newBuilder(URI.create(base + "/health")).GET().build());
    print(http, HttpRequest.newBuilder(URI.create(base + "/ask?token=" + QUERY_SECRET))
        .header(USER_HEADER, "bob")
        .POST(HttpRequest.BodyPublishers.ofString("And what is tracing?")).build());

    tomcat.stop();
    tomcat.destroy();
    client.close();
  }

  private static void print(HttpClient http, HttpRequest request) throws Exception {
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    System.out.println(request.method() + " " + request.uri().getPath() + " -> "
        + response.statusCode() + " " + response.body());
  }
}
