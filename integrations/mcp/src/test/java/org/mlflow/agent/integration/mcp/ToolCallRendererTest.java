package org.mlflow.agent.integration.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.integration.RecordedSpans;
import org.mlflow.agent.integration.SpanContent;

class ToolCallRendererTest {

  private static SpanContent render(Span span) throws Exception {
    SpanContent content = new SpanContent();
    new ToolCallRenderer().render(span, content);
    return content;
  }

  @Test
  void aToolCallIsNamedAfterTheToolWithItsArgumentsAndResultText() throws Exception {
    Span span = RecordedSpans.call(new CallToolRequest("add", Map.of("a", 2, "b", 3)),
        CallToolResult.builder().addTextContent("5").build(), null);

    SpanContent content = render(span);

    assertEquals("add", content.spanName());
    assertEquals(Map.of("a", 2, "b", 3), content.inputs());
    assertEquals("5", content.outputs());
    assertNull(content.failure());
  }

  @Test
  void aResultFlaggedAsAnErrorMakesAFailedSpan() throws Exception {
    Span span = RecordedSpans.call(new CallToolRequest("lookup_city", Map.of("city", "X")),
        CallToolResult.builder().addTextContent("unknown city").isError(true).build(), null);

    SpanContent content = render(span);

    assertEquals("unknown city", content.outputs());
    assertEquals("the MCP tool reported an error: unknown city", content.failure());
  }
}
