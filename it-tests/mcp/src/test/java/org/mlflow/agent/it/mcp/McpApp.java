package org.mlflow.agent.it.mcp;

import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Map;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * An ordinary MCP client app without tracing code, talking to {@link McpToolServer} over stdio:
 * tool calls through the synchronous client (one succeeding, one the server reports as an error,
 * one of an unknown tool) and through the asynchronous one (blocked on, subscribed on another
 * thread, and never subscribed at all).
 */
public final class McpApp {

  private McpApp() {}

  public static void main(String[] args) {
    try (McpSyncClient sync = McpClient.sync(transport()).requestTimeout(Duration.ofSeconds(30))
        .build()) {
      sync.initialize();
      System.out.println("add: " + text(sync.callTool(
          new CallToolRequest("add", Map.of("a", 2, "b", 3)))));
      CallToolResult unknownCity = sync.callTool(
          new CallToolRequest("lookup_city", Map.of("city", "Atlantis")));
      System.out.println("lookup_city: " + text(unknownCity) + " isError=" + unknownCity.isError());
      try {
        sync.callTool(new CallToolRequest("no_such_tool", Map.of()));
      } catch (RuntimeException failure) {
        System.out.println("no_such_tool: " + failure.getClass().getName());
      }
    }
    McpAsyncClient async = McpClient.async(transport()).requestTimeout(Duration.ofSeconds(30))
        .build();
    async.initialize().block();
    System.out.println("async add: " + text(async.callTool(
        new CallToolRequest("add", Map.of("a", 20, "b", 22))).block()));
    Mono<CallToolResult> elsewhere = async.callTool(
        new CallToolRequest("add", Map.of("a", 1, "b", 1)));
    System.out.println("elsewhere add: " + text(elsewhere.subscribeOn(Schedulers.single()).block()));
    async.closeGracefully().block();
    // Reactor's and the transports' threads would keep the JVM up a while longer.
    System.exit(0);
  }

  private static String text(CallToolResult result) {
    return ((TextContent) result.content().get(0)).text();
  }

  private static StdioClientTransport transport() {
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    ServerParameters server = ServerParameters.builder(java)
        .args("-cp", System.getProperty("java.class.path"), McpToolServer.class.getName())
        .build();
    return new StdioClientTransport(server, McpJsonDefaults.getMapper());
  }
}
