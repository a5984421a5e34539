package org.mlflow.agent.it.servlet.spring;

import com.acme.assistant.Assistant;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring Boot web app (Spring MVC on its embedded Tomcat) whose controller asks OpenAI through
 * the app's {@link Assistant}; {@code /health} makes no model call. It sends itself three requests
 * and prints the answers; no tracing code.
 *
 * <p>Arguments: the OpenAI base URL.
 */
@SpringBootApplication
@RestController
public class SpringChatApp {

  /** Never to be seen in a trace or a log line. */
  static final String API_KEY = "sk-test-SECRET-0123456789abcdef";

  private final Assistant assistant;

  public SpringChatApp(Assistant assistant) {
    this.assistant = assistant;
  }

  @Bean
  static Assistant assistant(@Value("${openai.base-url}") String baseUrl) {
    OpenAIClient client =
        OpenAIOkHttpClient.builder().baseUrl(baseUrl).apiKey(API_KEY).maxRetries(0).build();
    return new Assistant(client);
  }

  @PostMapping("/users/{id}/chat")
  public String chat(@PathVariable("id") String id, @RequestBody String question) {
    return assistant.answer(question, 1).text();
  }

  @GetMapping("/health")
  public String health() {
    return "ok";
  }

  public static void main(String[] args) throws Exception {
    SpringApplication application = new SpringApplication(SpringChatApp.class);
    application.setBannerMode(Banner.Mode.OFF);
    application.setLogStartupInfo(false);
    application.setDefaultProperties(Map.of(
        "openai.base-url", args[0],
        "server.port", "0",
        "server.address", "127.0.0.1",
        "logging.level.root", "WARN"));
    try (ConfigurableApplicationContext context = application.run()) {
      int port = ((WebServerApplicationContext) context).getWebServer().getPort();
      String base = "http://127.0.0.1:" + port;
      HttpClient http = HttpClient.newHttpClient();
      print(http, HttpRequest.newBuilder(URI.create(base + "/users/alice/chat"))
          .header("X-User-Id", "alice")
          .POST(HttpRequest.BodyPublishers.ofString("What is MLflow?")).build());
      print(http, HttpRequest.newBuilder(URI.create(base + "/health")).GET().build());
      print(http, HttpRequest.newBuilder(URI.create(base + "/users/bob/chat"))
          .POST(HttpRequest.BodyPublishers.ofString("And what is tracing?")).build());
    }
  }

  private static void print(HttpClient http, HttpRequest request) throws Exception {
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    System.out.println(request.method() + " " + request.uri().getPath() + " -> "
        + response.statusCode() + " " + response.body());
  }
}
