package org.mlflow.agent.benchmarks.macro;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.mlflow.agent.benchmarks.payload.ChatPayloads;

/**
 * A zero-latency OpenAI chat completions endpoint on 127.0.0.1: every POST gets the same chat
 * completion at once. The base URL says how big the answer is ({@link #baseUrl}), so one server
 * serves every call size. It runs in the harness's JVM, so the measured app's CPU and allocation
 * are the app's and its agent's only.
 */
final class FakeOpenAi implements AutoCloseable {

  private static final String PATH_PREFIX = "/call-bytes-";

  private final HttpServer server;
  private final ExecutorService workers = Executors.newFixedThreadPool(4);
  private final Map<Integer, byte[]> answers = new ConcurrentHashMap<>();

  FakeOpenAi() throws IOException {
    // The JDK server writes headers and body separately: with Nagle's algorithm on, the body
    // waits for the client's delayed ACK of the headers, some 40 ms per call. Read once, when
    // the first server is created.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.createContext("/", this::answer);
    server.setExecutor(workers);
    server.start();
  }

  /** The base URL whose chat completions answer with {@code callBytes / 2} chars of content. */
  String baseUrl(int callBytes) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + PATH_PREFIX + callBytes + "/v1";
  }

  private void answer(HttpExchange exchange) throws IOException {
    try (exchange) {
      try (InputStream body = exchange.getRequestBody()) {
        body.transferTo(OutputStream.nullOutputStream());
      }
      String path = exchange.getRequestURI().getPath();
      if (!"POST".equals(exchange.getRequestMethod()) || !path.startsWith(PATH_PREFIX)
          || !path.endsWith("/v1/chat/completions")) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      int callBytes = Integer.parseInt(
          path.substring(PATH_PREFIX.length(), path.indexOf('/', PATH_PREFIX.length())));
      byte[] answer = answers.computeIfAbsent(callBytes, bytes ->
          ChatPayloads.completionJson(bytes / 2).getBytes(StandardCharsets.UTF_8));
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, answer.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(answer);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    workers.shutdownNow();
  }
}
