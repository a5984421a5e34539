package org.mlflow.agent.it.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mlflow.agent.it.langchain4j.SpanTree.named;
import static org.mlflow.agent.it.support.TraceFiles.attribute;
import static org.mlflow.agent.it.support.TraceFiles.parseJson;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.it.support.ForkedApp;
import org.mlflow.agent.it.support.ForkedApp.Result;
import org.mlflow.agent.it.support.TraceFiles;

/**
 * A LangChain4j RAG AI service with a tool, unchanged, with the agent attached: one trace for the
 * question, AGENT over retrieval, model calls and the tool, with the parents LangChain4j's calls
 * really have.
 */
class RagAssistantIT {

  private static final String TOOL_DEFINITION = "[{\"type\":\"function\",\"function\":{"
      + "\"name\":\"daysOfLeaveLeft\",\"description\":\"Days of paid leave an employee has left"
      + " this year\",\"parameters\":{\"type\":\"object\",\"properties\":{\"arg0\":{\"type\":"
      + "\"string\",\"description\":\"the employee's first name\"}},\"required\":[\"arg0\"]}}}]";

  private static ChatFake chat;
  private static Result run;
  private static List<JsonNode> traces;

  @BeforeAll
  static void runTheApp() throws Exception {
    chat = new ChatFake();
    run = ForkedApp.of(RagAssistantApp.class).args(chat.baseUrl()).run().assertCleanRun();
    traces = TraceFiles.read(run.workingDir().resolve("mlflow-traces"));
  }

  @AfterAll
  static void stopFake() {
    chat.close();
  }

  @Test
  void theAppPrintsWhatItPrintsWithoutTheAgent() throws Exception {
    Result plain = ForkedApp.of(RagAssistantApp.class).args(chat.baseUrl()).withoutAgent().run();
    assertEquals(0, plain.exitCode(), plain.stderr());
    assertEquals(plain.stdout(), run.stdout());
    assertTrue(run.stdout().contains("A: " + ChatFake.ANSWER), run.stdout());
  }

  @Test
  void indexingTheHandbookIsAnEmbeddingTraceOfItsOwn() {
    assertEquals(2, traces.size(), run.stderr());
    JsonNode indexing = traces.get(0);
    assertEquals(List.of("AllMiniLmL6V2QuantizedEmbeddingModel [EMBEDDING]"),
        SpanTree.outline(indexing));
    JsonNode span = indexing.at("/data/spans/0");
    assertEquals(TraceFiles.JSON.valueToTree(RagAssistantApp.HANDBOOK),
        attribute(span, "mlflow.spanInputs"));
    assertEquals(parseJson("[{\"embedding_dimensions\":384},{\"embedding_dimensions\":384},"
        + "{\"embedding_dimensions\":384}]"), attribute(span, "mlflow.spanOutputs"));
  }

  @Test
  void theQuestionIsOneTreeWithTheParentsOfTheRealCalls() {
    JsonNode question = traces.get(1);
    assertEquals(List.of(
        "HrAssistant.answer [AGENT]",
        "  EmbeddingStoreContentRetriever [RETRIEVER]",
        "    AllMiniLmL6V2QuantizedEmbeddingModel [EMBEDDING]",
        "    InMemoryEmbeddingStore [RETRIEVER]",
        "  OpenAiChatModel [CHAT_MODEL]",
        "  daysOfLeaveLeft [TOOL]",
        "  OpenAiChatModel [CHAT_MODEL]"), SpanTree.outline(question));
    JsonNode info = question.get("info");
    assertEquals("OK", info.get("state").asText());
    assertEquals("HrAssistant.answer", info.at("/tags/mlflow.traceName").asText());
    JsonNode agent = named(question, "HrAssistant.answer", 0);
    assertEquals(RagAssistantApp.QUESTION, attribute(agent, "mlflow.spanInputs").asText());
    assertEquals(ChatFake.ANSWER, attribute(agent, "mlflow.spanOutputs").asText());
    // The agent's previews: the JSON of inputs and outputs that are not chat messages.
    assertEquals("\"" + RagAssistantApp.QUESTION + "\"", info.get("request_preview").asText());
    assertEquals("\"" + ChatFake.ANSWER + "\"", info.get("response_preview").asText());
  }

  @Test
  void theRetrieverListsTheDocumentsAsMlflowShowsThem() {
    JsonNode question = traces.get(1);
    for (String retriever : List.of("EmbeddingStoreContentRetriever", "InMemoryEmbeddingStore")) {
      JsonNode span = named(question, retriever, 0);
      JsonNode query = attribute(span, "mlflow.spanInputs");
      if (query.isObject()) {
        // LangChain4j without EmbeddingSearchRequest.query() (1.0.0): the store sees a vector only.
        assertEquals(parseJson("{\"query_embedding_dimensions\":384,\"max_results\":2,"
            + "\"min_score\":0.0}"), query);
      } else {
        assertEquals(RagAssistantApp.QUESTION, query.asText());
      }
      JsonNode documents = attribute(span, "mlflow.spanOutputs");
      assertEquals(2, documents.size(), documents.toString());
      JsonNode best = documents.get(0);
      assertEquals(RagAssistantApp.HANDBOOK.get(0), best.get("page_content").asText());
      assertEquals("handbook.md", best.at("/metadata/doc_uri").asText());
      assertEquals("0", best.at("/metadata/chunk_id").asText());
      assertEquals("handbook.md", best.at("/metadata/file_name").asText());
      double score = best.at("/metadata/score").asDouble();
      assertTrue(score > 0.5 && score <= 1.0, best.toString());
      assertFalse(best.get("id").asText().isEmpty());
    }
    JsonNode embedding = named(question, "AllMiniLmL6V2QuantizedEmbeddingModel", 0);
    assertEquals("[\"" + RagAssistantApp.QUESTION + "\"]",
        attribute(embedding, "mlflow.spanInputs").toString());
  }

  @Test
  void eachModelCallIsAChatSpanWithMessagesToolsAndUsage() {
    JsonNode question = traces.get(1);
    JsonNode first = named(question, "OpenAiChatModel", 0);
    assertEquals("openai", attribute(first, "mlflow.message.format").asText());
    assertEquals("openai", attribute(first, "mlflow.llm.provider").asText());
    assertEquals("gpt-4o-mini-2024-07-18", attribute(first, "mlflow.llm.model").asText());
    assertEquals(parseJson(TOOL_DEFINITION), attribute(first, "mlflow.chat.tools"));
    JsonNode inputs = attribute(first, "mlflow.spanInputs");
    assertEquals("gpt-4o-mini", inputs.get("model").asText());
    assertEquals("user", inputs.at("/messages/0/role").asText());
    String prompt = inputs.at("/messages/0/content").asText();
    assertTrue(prompt.startsWith(RagAssistantApp.QUESTION)
        && prompt.contains(RagAssistantApp.HANDBOOK.get(0)), prompt);
    JsonNode toolCall = attribute(first, "mlflow.spanOutputs").at("/choices/0/message/tool_calls/0");
    assertEquals("daysOfLeaveLeft", toolCall.at("/function/name").asText());
    assertEquals(ChatFake.TOOL_ARGUMENTS, toolCall.at("/function/arguments").asText());
    assertEquals("tool_calls",
        attribute(first, "mlflow.spanOutputs").at("/choices/0/finish_reason").asText());
    assertEquals(parseJson("{\"input_tokens\":50,\"output_tokens\":10,\"total_tokens\":60}"),
        attribute(first, "mlflow.chat.tokenUsage"));

    JsonNode second = named(question, "OpenAiChatModel", 1);
    JsonNode messages = attribute(second, "mlflow.spanInputs").get("messages");
    assertEquals(List.of("user", "assistant", "tool"),
        List.of(messages.at("/0/role").asText(), messages.at("/1/role").asText(),
            messages.at("/2/role").asText()));
    assertEquals("call_1", messages.at("/1/tool_calls/0/id").asText());
    assertEquals("call_1", messages.at("/2/tool_call_id").asText());
    assertEquals("12", messages.at("/2/content").asText());
    assertEquals(ChatFake.ANSWER, attribute(second, "mlflow.spanOutputs")
        .at("/choices/0/message/content").asText());
    assertEquals(parseJson("{\"input_tokens\":70,\"output_tokens\":20,\"total_tokens\":90}"),
        attribute(second, "mlflow.chat.tokenUsage"));
  }

  @Test
  void theToolSpanHasTheParsedArgumentsAndTheResult() {
    JsonNode tool = named(traces.get(1), "daysOfLeaveLeft", 0);
    assertEquals(parseJson(ChatFake.TOOL_ARGUMENTS), attribute(tool, "mlflow.spanInputs"));
    assertEquals("12", attribute(tool, "mlflow.spanOutputs").asText());
    assertEquals("call_1", attribute(tool, "tool_call_id").asText());
  }

  @Test
  void tokenUsageIsCountedOnceOnTheModelCallsNotAgainOnTheAgent() {
    JsonNode question = traces.get(1);
    assertNull(attribute(named(question, "HrAssistant.answer", 0), "mlflow.chat.tokenUsage"));
    long input = 0;
    long output = 0;
    for (JsonNode span : question.at("/data/spans")) {
      JsonNode usage = attribute(span, "mlflow.chat.tokenUsage");
      if (usage != null) {
        input += usage.get("input_tokens").asLong();
        output += usage.get("output_tokens").asLong();
      }
    }
    // The chat calls' 50 + 70 input tokens, and the local model's count of the question's tokens.
    long embedded = attribute(named(question, "AllMiniLmL6V2QuantizedEmbeddingModel", 0),
        "mlflow.chat.tokenUsage").get("input_tokens").asLong();
    assertEquals(120 + embedded, input);
    assertEquals(30, output);
    assertEquals(parseJson("{\"input_tokens\":" + input + ",\"output_tokens\":30,"
            + "\"total_tokens\":" + (input + 30) + "}"),
        parseJson(question.at("/info/trace_metadata/mlflow.trace.tokenUsage").asText()));
  }
}
