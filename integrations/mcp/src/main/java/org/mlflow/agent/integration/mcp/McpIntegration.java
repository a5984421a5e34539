package org.mlflow.agent.integration.mcp;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import java.util.List;
import java.util.Map;
import org.mlflow.agent.integration.ContentRenderer;
import org.mlflow.agent.integration.Hook;
import org.mlflow.agent.integration.Integration;

/**
 * The MCP Java SDK 2.x ({@code io.modelcontextprotocol.sdk:mcp}): each tool call a client makes is
 * a {@code TOOL} span named after the tool.
 *
 * <p>{@code McpSyncClient.callTool} blocks on {@code McpAsyncClient.callTool}: both are hooked, and
 * the asynchronous one records nothing while the synchronous one is the thread's current span
 * ({@code Tracing.startOutermost}), so a call is one span either way.
 */
public final class McpIntegration implements Integration {

  static final String TOOL_CONTENT = "mcp.tool";

  private static final String CLIENT = "io.modelcontextprotocol.client.";
  private static final String CALL_TOOL_REQUEST =
      "io.modelcontextprotocol.spec.McpSchema$CallToolRequest";

  @Override
  public List<String> libraryPackages() {
    return List.of("io.modelcontextprotocol.");
  }

  @Override
  public String name() {
    return "mcp";
  }

  @Override
  public List<Hook> hooks() {
    return List.of(
        callTool("McpSyncClient", "io.modelcontextprotocol.spec.McpSchema$CallToolResult",
            McpAdvice.SyncCallTool.class),
        callTool("McpAsyncClient", "reactor.core.publisher.Mono", McpAdvice.AsyncCallTool.class));
  }

  private static Hook callTool(String client, String returnType, Class<?> advice) {
    return Hook.of(client + ".callTool(CallToolRequest)",
        named(CLIENT + client),
        named("callTool").and(takesArguments(1))
            .and(takesArgument(0, named(CALL_TOOL_REQUEST)))
            .and(returns(named(returnType))),
        advice);
  }

  @Override
  public Map<String, ContentRenderer> renderers() {
    return Map.of(TOOL_CONTENT, new ToolCallRenderer());
  }
}
