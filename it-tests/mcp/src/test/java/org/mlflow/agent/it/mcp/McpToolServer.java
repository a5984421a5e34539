package org.mlflow.agent.it.mcp;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.util.Map;

/**
 * A real MCP server on stdio, started by {@link McpApp} as its own process (never with the agent):
 * {@code add} adds two numbers, {@code lookup_city} says a city is unknown, as an MCP error result.
 */
public final class McpToolServer {

  private McpToolServer() {}

  public static void main(String[] args) throws Exception {
    Map<String, Object> numbers = Map.of("type", "object", "properties",
        Map.of("a", Map.of("type", "number"), "b", Map.of("type", "number")));
    Map<String, Object> city = Map.of("type", "object", "properties",
        Map.of("city", Map.of("type", "string")));
    McpSyncServer server = McpServer.sync(
            new StdioServerTransportProvider(McpJsonDefaults.getMapper()))
        .serverInfo("mlflow-agent-test-tools", "1.0.0")
        .capabilities(ServerCapabilities.builder().tools(true).build())
        .toolCall(Tool.builder().name("add").description("Adds two numbers")
                .inputSchema(numbers).build(),
            (exchange, request) -> {
              Number a = (Number) request.arguments().get("a");
              Number b = (Number) request.arguments().get("b");
              return CallToolResult.builder()
                  .addTextContent(String.valueOf(a.intValue() + b.intValue())).build();
            })
        .toolCall(Tool.builder().name("lookup_city").description("Facts about a city")
                .inputSchema(city).build(),
            (exchange, request) -> CallToolResult.builder()
                .addTextContent("unknown city: " + request.arguments().get("city"))
                .isError(true).build())
        .build();
    // The transport serves stdin until the client closes it; then this process ends.
    Thread.currentThread().join();
    server.close();
  }
}
