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

/**
 * A tiny OpenAI-compatible chat completions endpoint on 127.0.0.1, so the demo runs offline. It
 * plays a model that calls the first tool it is offered when a question is about leave, and
 * otherwise answers from the first passage the app retrieved into the prompt (and the tool's
 * result), with honest-looking token counts.
 */
final class FakeOpenAiServer {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Where LangChain4j's default content injector starts the retrieved passages. */
  private static final String CONTEXT_MARKER = "Answer using the following information:";

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
    String prompt = "";
    String toolResult = null;
    for (JsonNode message : messages) {
      if (message.path("role").asText().equals("user")) {
        prompt = message.path("content").asText();
      } else if (message.path("role").asText().equals("tool")) {
        toolResult = message.path("content").asText();
      }
    }
    JsonNode tool = request.path("tools").path(0).path("function");
    ObjectNode message = JSON.createObjectNode().put("role", "assistant");
    String finishReason;
    if (toolResult == null && !tool.isMissingNode() && question(prompt).contains("leave")) {
      message.putNull("content");
      ObjectNode call = message.putArray("tool_calls").addObject()
          .put("id", "call_demo_" + (calls + 1)).put("type", "function");
      String parameter = tool.path("parameters").path("properties").fieldNames().next();
      call.putObject("function").put("name", tool.path("name").asText())
          .put("arguments", JSON.createObjectNode().put(parameter, "Ada").toString());
      finishReason = "tool_calls";
    } else {
      message.put("content", "(fake model) " + firstPassage(prompt)
          + (toolResult == null ? "" : " The tool says: " + toolResult + "."));
      finishReason = "stop";
    }
    int promptTokens = words(messages.toString());
    int completionTokens = words(message.toString());

    ObjectNode completion = JSON.createObjectNode()
        .put("id", "chatcmpl-demo-" + (++calls))
        .put("object", "chat.completion")
        .put("created", System.currentTimeMillis() / 1000)
        .put("model", request.path("model").asText("gpt-4o-mini"));
    completion.putArray("choices").addObject().put("index", 0)
        .put("finish_reason", finishReason).set("message", message);
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

  /** The user's own words: the prompt before the passages the app retrieved into it. */
  private static String question(String prompt) {
    int context = prompt.indexOf(CONTEXT_MARKER);
    return (context < 0 ? prompt : prompt.substring(0, context)).toLowerCase();
  }

  /** The first passage the app put into the prompt, or a shrug when it retrieved none. */
  private static String firstPassage(String prompt) {
    int context = prompt.indexOf(CONTEXT_MARKER);
    if (context < 0) {
      return "The handbook does not say.";
    }
    String passages = prompt.substring(context + CONTEXT_MARKER.length()).strip();
    int end = passages.indexOf("\n\n");
    return end < 0 ? passages : passages.substring(0, end);
  }

  private static int words(String text) {
    return text.split("\\W+").length;
  }
}
