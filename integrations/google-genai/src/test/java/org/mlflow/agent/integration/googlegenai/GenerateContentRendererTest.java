package org.mlflow.agent.integration.googlegenai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.genai.types.Content;
import com.google.genai.types.FunctionDeclaration;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.Part;
import com.google.genai.types.Schema;
import com.google.genai.types.Tool;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.bootstrap.CallArguments;
import org.mlflow.agent.integration.RecordedSpans;
import org.mlflow.agent.integration.SpanContent;

class GenerateContentRendererTest {

  static final String RESPONSE_JSON = "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":"
      + "\"MLflow is an open source platform.\"}],\"role\":\"model\"},\"finishReason\":\"STOP\","
      + "\"index\":0}],\"modelVersion\":\"gemini-2.0-flash-001\",\"responseId\":\"resp-1\","
      + "\"usageMetadata\":{\"promptTokenCount\":11,\"candidatesTokenCount\":7,"
      + "\"totalTokenCount\":18,\"cachedContentTokenCount\":4}}";

  /** A tool for automatic function calling: a static method the SDK calls itself. */
  public static String weather(String city) {
    return "sunny in " + city;
  }

  private final GenerateContentRenderer renderer = new GenerateContentRenderer(new GenAiJson());

  private static Object[] request(GenerateContentConfig config) {
    return CallArguments.of("gemini-2.0-flash",
        new ArrayList<>(List.of(Content.fromParts(Part.fromText("What is MLflow?")))), config);
  }

  private static GenerateContentResponse response() {
    return GenerateContentResponse.fromJson(RESPONSE_JSON).toBuilder()
        .sdkHttpResponse(com.google.genai.types.HttpResponse.builder()
            .headers(Map.of("set-cookie", "session=abc")))
        .build();
  }

  @Test
  void aSingleCallIsAChatModelSpanWithTheSdksJsonAndItsUsage() throws Exception {
    GenerateContentConfig config = GenerateContentConfig.builder()
        .temperature(0.0f)
        .httpOptions(HttpOptions.builder().headers(Map.of("x-goog-api-key", "SECRET")))
        .build();
    SpanContent content = new SpanContent();

    renderer.render(RecordedSpans.call(request(config), response(), null), content);

    assertNull(content.spanType(), "stays the CHAT_MODEL it started as");
    assertEquals("google", content.provider());
    assertEquals("gemini", content.messageFormat());
    assertEquals("gemini-2.0-flash-001", content.model());
    Map<?, ?> inputs = (Map<?, ?>) content.inputs();
    assertEquals(List.of("model", "contents", "config"), List.copyOf(inputs.keySet()));
    assertEquals("gemini-2.0-flash", inputs.get("model"));
    assertEquals(List.of(Map.of("parts", List.of(Map.of("text", "What is MLflow?")),
        "role", "user")), inputs.get("contents"));
    assertEquals(Map.of("temperature", 0.0f), inputs.get("config"), "the API key header is gone");
    Map<?, ?> outputs = (Map<?, ?>) content.outputs();
    assertFalse(outputs.containsKey("sdkHttpResponse"), "transport headers are not content");
    assertEquals("MLflow is an open source platform.", ((Map<?, ?>) ((List<?>) ((Map<?, ?>)
        ((Map<?, ?>) ((List<?>) outputs.get("candidates")).get(0)).get("content"))
        .get("parts")).get(0)).get("text"));
    assertEquals(11, content.tokenUsage().inputTokens());
    assertEquals(7, content.tokenUsage().outputTokens());
    assertEquals(18, content.tokenUsage().totalTokens());
    assertEquals(4L, content.tokenUsage().cacheReadInputTokens());
    assertNull(content.tools());
  }

  @Test
  void aCallThatRanAToolLoopIsAChainWhoseModelCallsCarryTheUsage() throws Exception {
    SpanContent content = new SpanContent();

    renderer.render(RecordedSpans.callWithSteps(request(null), response(), 2), content);

    assertEquals("CHAIN", content.spanType());
    assertNull(content.tokenUsage(), "counted on each model call instead");
    assertTrue(content.outputs() instanceof Map);
    assertFalse(((Map<?, ?>) content.inputs()).containsKey("config"));
  }

  @Test
  void aCallOfOneModelRequestKeepsItsUsage() throws Exception {
    SpanContent content = new SpanContent();
    renderer.render(RecordedSpans.callWithSteps(request(null), response(), 1), content);
    assertNull(content.spanType());
    assertEquals(18, content.tokenUsage().totalTokens());
  }

  @Test
  void declaredFunctionsAndJavaMethodsBecomeOpenAiStyleTools() throws Exception {
    Tool tools = Tool.builder()
        .functions(List.of(getClass().getMethod("weather", String.class)))
        .functionDeclarations(List.of(FunctionDeclaration.builder()
            .name("lookup")
            .description("Looks a term up.")
            .parameters(Schema.builder().type("OBJECT")
                .properties(Map.of("term", Schema.builder().type("STRING")
                    .description("The term.").build()))
                .required(List.of("term")))
            .build()))
        .build();
    SpanContent content = new SpanContent();

    renderer.render(RecordedSpans.call(
        request(GenerateContentConfig.builder().tools(List.of(tools)).build()), response(), null),
        content);

    assertEquals(List.of(
        Map.of("type", "function", "function", Map.of("name", "weather",
            "parameters", Map.of("type", "object",
                "properties", Map.of("city", Map.of("type", "string", "title", "city")),
                "required", List.of("city")))),
        Map.of("type", "function", "function", Map.of("name", "lookup",
            "description", "Looks a term up.",
            "parameters", Map.of("type", "object",
                "properties", Map.of("term", Map.of("type", "string",
                    "description", "The term.")),
                "required", List.of("term"))))),
        content.tools());
  }

  @Test
  void aFailedCallHasItsInputsAndNoOutputs() throws Exception {
    SpanContent content = new SpanContent();
    renderer.render(RecordedSpans.call(request(null), null, new IllegalStateException("429")),
        content);
    assertEquals("gemini-2.0-flash", content.model());
    assertNull(content.outputs());
    assertNull(content.tokenUsage());
  }
}
