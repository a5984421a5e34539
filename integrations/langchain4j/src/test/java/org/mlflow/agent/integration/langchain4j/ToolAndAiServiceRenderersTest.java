package org.mlflow.agent.integration.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.service.tool.ToolExecutionResult;
import java.lang.reflect.Method;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.integration.RecordedSpans;
import org.mlflow.agent.integration.SpanContent;

class ToolAndAiServiceRenderersTest {

  /** An AI service interface. */
  interface Assistant {
    String chat(String message);

    String translate(String text, String language);
  }

  private static SpanContent renderTool(String arguments, Object result) throws Exception {
    ToolExecutionRequest request = ToolExecutionRequest.builder().id("call_7").name("weather")
        .arguments(arguments).build();
    SpanContent content = new SpanContent();
    new ToolRenderer(new LangChain4jJson()).render(RecordedSpans.call(request, result, null),
        content);
    return content;
  }

  @Test
  void aToolSpanIsNamedAfterTheToolWithItsParsedArgumentsAndResult() throws Exception {
    SpanContent content = renderTool("{\"city\":\"Paris\",\"days\":2}", "sunny");

    assertEquals("weather", content.spanName());
    assertEquals(Map.of("city", "Paris", "days", 2), content.inputs());
    assertEquals("sunny", content.outputs());
    assertEquals(Map.of("tool_call_id", "call_7"), content.attributes());
  }

  @Test
  void argumentsThatAreNotJsonAreKeptAsTextAndAResultObjectIsItsText() throws Exception {
    SpanContent content = renderTool("Paris",
        ToolExecutionResult.builder().resultText("cloudy").build());

    assertEquals("Paris", content.inputs());
    assertEquals("cloudy", content.outputs());
  }

  @Test
  void anAiServiceCallIsNamedInterfaceDotMethodWithItsArguments() throws Exception {
    Method chat = Assistant.class.getMethod("chat", String.class);
    Method translate = Assistant.class.getMethod("translate", String.class, String.class);
    AiServiceRenderer renderer = new AiServiceRenderer(new LangChain4jJson());

    SpanContent single = new SpanContent();
    renderer.render(RecordedSpans.call(new Object[] {chat, new Object[] {"Hi"}}, "Hello", null),
        single);
    SpanContent several = new SpanContent();
    renderer.render(RecordedSpans.call(
        new Object[] {translate, new Object[] {"Hi", "fr"}}, "Salut", null), several);

    assertEquals("Assistant.chat", single.spanName());
    assertEquals("Hi", single.inputs(), "a lone argument known by no name is the inputs");
    assertEquals("Hello", single.outputs());
    // Parameter names are kept only with javac -parameters; the tests are built without it.
    assertEquals(Map.of("arg0", "Hi", "arg1", "fr"), several.inputs());
  }
}
