package org.mlflow.agent.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A tiny OpenAI-compatible chat completions endpoint on 127.0.0.1, so the demo runs offline. It
 * answers every question with a canned sentence and honest-looking token counts.
 */
final class FakeOpenAiServer {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private int calls;

  private FakeOpenAiServer(HttpServer server) {
    this.server = server;
  }

  static FakeOpenAiServer start() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    FakeOpenAiServer fake = new FakeOpenAiServer(server);
    server.createContext("/v1/chat/completions", fake::answer);
    server.start();
    return fake;
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  void stop() {
    server.stop(0);
  }

  private synchronized void answer(HttpExchange exchange) throws IOException {
    JsonNode request = JSON.readTree(exchange.getRequestBody());
    JsonNode messages = request.path("messages");
    String question = messages.path(messages.size() - 1).path("content").asText();
    String answer = "(fake model) You asked: \"" + question + "\". A real model would answer here.";
    int promptTokens = words(messages.toString());
    int completionTokens = words(answer);

    ObjectNode completion = JSON.createObjectNode()
        .put("id", "chatcmpl-demo-" + (++calls))
        .put("object", "chat.completion")
        .put("created", System.currentTimeMillis() / 1000)
        .put("model", request.path("model").asText("gpt-4o-mini"));
    ObjectNode choice = completion.putArray("choices").addObject().put("index", 0)
        .put("finish_reason", "stop");
    choice.putObject("message").put("role", "assistant").put("content", answer);
    completion.putObject("usage")
        .put("prompt_tokens", promptTokens)
        .put("completion_tokens", completionTokens)
        .put("total_tokens", promptTokens + completionTokens);

    byte[] body = JSON.writeValueAsBytes(completion);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static int words(String text) {
    return text.split("\\W+").length;
  }
}
