package org.mlflow.agent.integration.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.integration.RecordedSpans;
import org.mlflow.agent.integration.SpanContent;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDelta;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockStart;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamMetrics;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ResponseStream;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlockDelta;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlockStart;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

/** The three renderers over spans recorded through the real bridge, with real SDK objects. */
class RenderersTest {

  private static SpanContent render(Object renderer, Span span) throws Exception {
    SpanContent content = new SpanContent();
    ((org.mlflow.agent.integration.ContentRenderer) renderer).render(span, content);
    return content;
  }

  @Test
  void aConverseCallIsAChatSpanInTheBedrockFormatWithTheRequestId() throws Exception {
    Span span = RecordedSpans.call(SdkObjects.converseRequest(),
        SdkObjects.converseResponse("req-1"), null);

    SpanContent content = render(new ConverseRenderer(), span);

    assertEquals("bedrock", content.messageFormat());
    assertEquals("bedrock", content.provider());
    assertEquals(SdkObjects.MODEL, content.model());
    assertEquals(SdkValues.read(SdkObjects.converseRequest()), content.inputs());
    assertEquals(Map.of(
        "output", Map.of("message", Map.of("role", "assistant",
            "content", List.of(Map.of("text", "MLflow is an open source platform.")))),
        "stopReason", "end_turn",
        "usage", Map.of("inputTokens", 12, "outputTokens", 8, "totalTokens", 20)),
        content.outputs());
    assertEquals(20, content.tokenUsage().totalTokens());
    assertEquals(Map.of("aws.request_id", "req-1"), content.attributes());
    assertEquals(List.of(Map.of("type", "function", "function", Map.of(
        "name", "get_weather",
        "description", "The weather in a city",
        "parameters", Map.of("type", "object",
            "properties", Map.of("city", Map.of("type", "string")))))), content.tools());
  }

  @Test
  void aRejectedConverseCallKeepsItsInputsAndTheRequestIdOfTheError() throws Exception {
    ValidationException rejected = (ValidationException) ValidationException.builder()
        .message("The model is not supported").requestId("req-400").build();
    Span span = RecordedSpans.call(SdkObjects.converseRequest(), null, rejected);

    SpanContent content = render(new ConverseRenderer(), span);

    assertEquals(SdkObjects.MODEL, content.model());
    assertNull(content.outputs());
    assertNull(content.tokenUsage());
    assertEquals("req-400", content.attributes().get("aws.request_id"));
  }

  @Test
  void anInvokeModelCallRecordsTheModelsOwnBodies() throws Exception {
    String requestBody = "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":100,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    String responseBody = "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\","
        + "\"content\":[{\"type\":\"text\",\"text\":\"Hello\"}],\"stop_reason\":\"end_turn\","
        + "\"usage\":{\"input_tokens\":9,\"output_tokens\":4}}";
    Span span = RecordedSpans.call(SdkObjects.invokeModelRequest(requestBody),
        SdkObjects.invokeModelResponse(responseBody, "req-2"), null);

    SpanContent content = render(new InvokeModelRenderer(), span);

    ClassLoader sdk = span.request().getClass().getClassLoader();
    assertEquals(SdkJson.parse(requestBody.getBytes(), sdk), content.inputs());
    assertEquals(SdkJson.parse(responseBody.getBytes(), sdk), content.outputs());
    assertEquals(SdkObjects.MODEL, content.model());
    assertEquals("bedrock", content.provider());
    assertNull(content.messageFormat(), "each model family has its own body");
    assertNull(content.spanType(), "stays an LLM span");
    assertEquals(13, content.tokenUsage().totalTokens());
    assertEquals("req-2", content.attributes().get("aws.request_id"));
  }

  @Test
  void anInvokeModelCallThatReturnsAnEmbeddingIsAnEmbeddingSpan() throws Exception {
    Span span = RecordedSpans.call(SdkObjects.invokeModelRequest("{\"inputText\":\"hi\"}"),
        SdkObjects.invokeModelResponse("{\"embedding\":[0.5,0.25],\"inputTextTokenCount\":2}",
            "req-3"), null);

    SpanContent content = render(new InvokeModelRenderer(), span);

    assertEquals("EMBEDDING", content.spanType());
    assertNull(content.tokenUsage());
  }

  @Test
  void aBodyThatIsNotJsonIsKeptAsText() throws Exception {
    Span span = RecordedSpans.call(SdkObjects.invokeModelRequest("plain prompt"), null,
        new IllegalStateException("connection reset"));
    assertEquals("plain prompt", render(new InvokeModelRenderer(), span).inputs());
  }

  @Test
  void aConverseStreamIsRecordedEventByEventAndReassembled() throws Exception {
    List<ConverseStreamOutput> events = List.of(
        ConverseStreamOutput.messageStartBuilder().role(ConversationRole.ASSISTANT).build(),
        ConverseStreamOutput.contentBlockDeltaBuilder().contentBlockIndex(0)
            .delta(ContentBlockDelta.fromText("Let me ")).build(),
        ConverseStreamOutput.contentBlockDeltaBuilder().contentBlockIndex(0)
            .delta(ContentBlockDelta.fromText("check.")).build(),
        ConverseStreamOutput.contentBlockStopBuilder().contentBlockIndex(0).build(),
        ConverseStreamOutput.contentBlockStartBuilder().contentBlockIndex(1)
            .start(ContentBlockStart.fromToolUse(ToolUseBlockStart.builder()
                .toolUseId("tool-1").name("get_weather").build())).build(),
        ConverseStreamOutput.contentBlockDeltaBuilder().contentBlockIndex(1)
            .delta(ContentBlockDelta.fromToolUse(ToolUseBlockDelta.builder()
                .input("{\"city\":").build())).build(),
        ConverseStreamOutput.contentBlockDeltaBuilder().contentBlockIndex(1)
            .delta(ContentBlockDelta.fromToolUse(ToolUseBlockDelta.builder()
                .input("\"Paris\"}").build())).build(),
        ConverseStreamOutput.contentBlockStopBuilder().contentBlockIndex(1).build(),
        ConverseStreamOutput.messageStopBuilder().stopReason(StopReason.TOOL_USE).build(),
        ConverseStreamOutput.metadataBuilder()
            .usage(TokenUsage.builder().inputTokens(30).outputTokens(12).totalTokens(42)
                .cacheReadInputTokens(100).build())
            .metrics(ConverseStreamMetrics.builder().latencyMs(250L).build()).build());
    Span span = RecordedSpans.stream(SdkObjects.converseRequest(), events);

    SpanContent content = render(new ConverseStreamRenderer(), span);

    assertEquals("bedrock", content.messageFormat());
    assertEquals(SdkValues.read(SdkObjects.converseRequest()), content.inputs());
    assertEquals(10, content.chunks().size());
    assertEquals(Map.of("contentBlockDelta",
        Map.of("delta", Map.of("text", "Let me "), "contentBlockIndex", 0)),
        content.chunks().get(1));
    Map<String, Object> toolUse = new LinkedHashMap<>();
    toolUse.put("toolUseId", "tool-1");
    toolUse.put("name", "get_weather");
    toolUse.put("input", Map.of("city", "Paris"));
    assertEquals(Map.of(
        "output", Map.of("message", Map.of("role", "assistant", "content", List.of(
            Map.of("text", "Let me check."),
            Map.of("toolUse", toolUse)))),
        "stopReason", "tool_use",
        "usage", Map.of("inputTokens", 30, "outputTokens", 12, "totalTokens", 42,
            "cacheReadInputTokens", 100),
        "metrics", Map.of("latencyMs", 250L)), content.outputs());
    assertEquals(130, content.tokenUsage().inputTokens());
    assertEquals(100L, content.tokenUsage().cacheReadInputTokens());
  }

  @Test
  void anInvokeModelStreamRecordsTheModelsOwnChunks() throws Exception {
    String start = "{\"type\":\"message_start\",\"message\":{\"role\":\"assistant\","
        + "\"usage\":{\"input_tokens\":14,\"output_tokens\":1}}}";
    String delta = "{\"type\":\"content_block_delta\",\"index\":0,"
        + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello\"}}";
    String end = "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},"
        + "\"usage\":{\"output_tokens\":7}}";
    List<ResponseStream> parts = List.of(
        ResponseStream.chunkBuilder().bytes(SdkBytes.fromUtf8String(start)).build(),
        ResponseStream.chunkBuilder().bytes(SdkBytes.fromUtf8String(delta)).build(),
        ResponseStream.chunkBuilder().bytes(SdkBytes.fromUtf8String(end)).build());
    String body = "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":50}";
    Span span = RecordedSpans.stream(SdkObjects.invokeModelRequest(body), parts);

    SpanContent content = render(new InvokeModelStreamRenderer(), span);

    ClassLoader sdk = SdkBytes.class.getClassLoader();
    List<Object> chunks = List.of(SdkJson.parse(start.getBytes(), sdk),
        SdkJson.parse(delta.getBytes(), sdk), SdkJson.parse(end.getBytes(), sdk));
    assertEquals(SdkJson.parse(body.getBytes(), sdk), content.inputs());
    assertEquals(chunks, content.chunks());
    assertEquals(chunks, content.outputs());
    assertEquals(SdkObjects.MODEL, content.model());
    assertEquals(21, content.tokenUsage().totalTokens());
  }

  @Test
  void aStreamThatFailedBeforeAnyEventHasNoOutputs() throws Exception {
    Span span = RecordedSpans.stream(SdkObjects.converseRequest(), List.of());
    SpanContent content = render(new ConverseStreamRenderer(), span);
    assertNull(content.outputs());
    assertEquals(SdkObjects.MODEL, content.model());
  }
}
