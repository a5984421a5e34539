package org.mlflow.agent.it.googlegenai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mlflow.agent.it.support.TraceFiles.attribute;
import static org.mlflow.agent.it.support.TraceFiles.parseJson;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link GeminiToolLoopApp}: automatic function calling, two model calls in one public call. */
class GeminiToolLoopIT {

  private static final String TOOLS = "[{\"type\":\"function\",\"function\":{\"name\":\"weather\","
      + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\","
      + "\"title\":\"city\"}},\"required\":[\"city\"]}}}]";

  private static GeminiFake gemini;
  private static GeminiRun run;

  @BeforeAll
  static void runTheApp() throws Exception {
    gemini = new GeminiFake();
    run = GeminiRun.of(GeminiToolLoopApp.class, gemini);
  }

  @AfterAll
  static void stopTheFake() {
    gemini.close();
  }

  @Test
  void theCallIsAChainOverOneChatModelSpanPerModelCall() {
    assertEquals(1, run.traces.size(), run.withAgent.stderr());
    List<JsonNode> spans = GeminiRun.spans(run.traces.get(0));
    assertEquals(3, spans.size());
    JsonNode call = spans.get(0);
    assertEquals("Models.generateContent", call.get("name").asText());
    assertTrue(call.get("parent_span_id").isNull());
    assertEquals("CHAIN", attribute(call, "mlflow.spanType").asText());
    assertEquals("gemini", attribute(call, "mlflow.message.format").asText());
    assertEquals(parseJson(TOOLS), attribute(call, "mlflow.chat.tools"));
    assertEquals("What is the weather in Paris?",
        attribute(call, "mlflow.spanInputs").at("/contents/0/parts/0/text").asText());
    JsonNode answer = attribute(call, "mlflow.spanOutputs");
    assertEquals(GeminiFake.TOOL_ANSWER, answer.at("/candidates/0/content/parts/0/text").asText());
    assertEquals(3, answer.get("automaticFunctionCallingHistory").size());
    assertNull(attribute(call, "mlflow.chat.tokenUsage"), "counted on the model calls");

    for (JsonNode modelCall : spans.subList(1, 3)) {
      assertEquals("Models.privateGenerateContent", modelCall.get("name").asText());
      assertEquals(call.get("span_id").asText(), modelCall.get("parent_span_id").asText());
      assertEquals("CHAT_MODEL", attribute(modelCall, "mlflow.spanType").asText());
      assertEquals("gemini", attribute(modelCall, "mlflow.message.format").asText());
      assertEquals(parseJson(TOOLS), attribute(modelCall, "mlflow.chat.tools"));
    }
  }

  @Test
  void eachModelCallHasItsOwnRequestResponseAndUsage() {
    List<JsonNode> spans = GeminiRun.spans(run.traces.get(0));
    JsonNode askedForTheTool = spans.get(1);
    GeminiRun.assertIsTheResponse(GeminiFake.FUNCTION_CALL_JSON,
        attribute(askedForTheTool, "mlflow.spanOutputs"));
    assertEquals(parseJson("{\"input_tokens\":30,\"output_tokens\":5,\"total_tokens\":35}"),
        attribute(askedForTheTool, "mlflow.chat.tokenUsage"));
    assertEquals(1, attribute(askedForTheTool, "mlflow.spanInputs").get("contents").size());

    JsonNode answered = spans.get(2);
    JsonNode contents = attribute(answered, "mlflow.spanInputs").get("contents");
    assertEquals(3, contents.size(), "the question, the model's call and the tool's result");
    assertEquals("weather", contents.at("/1/parts/0/functionCall/name").asText());
    assertEquals("sunny in Paris",
        contents.at("/2/parts/0/functionResponse/response/result").asText());
    GeminiRun.assertIsTheResponse(GeminiFake.TOOL_ANSWER_JSON,
        attribute(answered, "mlflow.spanOutputs"));
    assertEquals(parseJson("{\"input_tokens\":45,\"output_tokens\":7,\"total_tokens\":52}"),
        attribute(answered, "mlflow.chat.tokenUsage"));

    assertEquals(parseJson("{\"input_tokens\":75,\"output_tokens\":12,\"total_tokens\":87}"),
        parseJson(run.traces.get(0).at("/info/trace_metadata/mlflow.trace.tokenUsage").asText()),
        "each model call counted once");
  }

  @Test
  void theAppPrintsExactlyWhatItPrintsWithoutTheAgentAndTheKeyStaysSecret() throws Exception {
    run.assertTheAppRanAsWithoutTheAgent();
    assertTrue(run.withAgent.stdout().contains("tool calls: 1"), run.withAgent.stdout());
  }
}
