package org.mlflow.agent.it.springai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mlflow.agent.it.springai.SpanTrees.named;
import static org.mlflow.agent.it.springai.SpanTrees.outline;
import static org.mlflow.agent.it.support.TraceFiles.attribute;
import static org.mlflow.agent.it.support.TraceFiles.parseJson;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.it.support.ForkedApp;
import org.mlflow.agent.it.support.ForkedApp.Result;
import org.mlflow.agent.it.support.TraceFiles;

/**
 * A Spring AI app (OpenAI models, ChatClient, a tool, streams, a vector store), unchanged, with
 * the agent attached: one trace per call the app makes, each an exact tree. On Spring AI 2.0 the
 * OpenAI model sits on openai-java, whose {@code Completions} spans nest under Spring AI's; on
 * 1.1 it has its own HTTP client, and Spring AI's spans are the whole tree.
 */
class SpringAiIT {

  private static final boolean ON_OPENAI_JAVA =
      !System.getProperty("spring-ai.version", "2").startsWith("1.");

  private static SpringAiFake fake;
  private static Result run;
  private static List<JsonNode> traces;

  @BeforeAll
  static void runTheApp() throws Exception {
    fake = new SpringAiFake();
    run = ForkedApp.of(SpringAiApp.class).args(fake.baseUrl()).run().assertCleanRun();
    traces = TraceFiles.read(run.workingDir().resolve("mlflow-traces"));
  }

  @AfterAll
  static void stopFake() {
    fake.close();
  }

  /** The traces whose root span is {@code rootName}, in the order the app made the calls. */
  private static List<JsonNode> tracesOf(String rootName) {
    List<JsonNode> found = new ArrayList<>();
    for (JsonNode trace : traces) {
      if (trace.at("/info/tags/mlflow.traceName").asText().equals(rootName)) {
        found.add(trace);
      }
    }
    return found;
  }

  private static String withOpenAiJava(String springAiTree, String completions) {
    return ON_OPENAI_JAVA ? springAiTree + completions : springAiTree;
  }

  private static JsonNode usage(JsonNode trace) {
    return parseJson(trace.at("/info/trace_metadata/mlflow.trace.tokenUsage").asText());
  }

  private static JsonNode tokens(int input, int output) {
    return parseJson("{\"input_tokens\":" + input + ",\"output_tokens\":" + output
        + ",\"total_tokens\":" + (input + output) + "}");
  }

  @Test
  void everyCallTheAppMadeIsOneTrace() {
    List<String> roots = new ArrayList<>();
    traces.forEach(trace -> roots.add(trace.at("/info/tags/mlflow.traceName").asText()));
    // the vector store's dimension probe, then each document on its own
    List<String> embeddings =
        List.of("EmbeddingModel.call", "EmbeddingModel.call", "EmbeddingModel.call");
    List<String> expected = new ArrayList<>(List.of("ChatModel.call", "ChatClient.call",
        "ChatClient.call", "ChatClient.stream", "ChatModel.stream", "ChatModel.stream", "ChatModel.stream",
        "ChatModel.stream", "ChatModel.call"));
    expected.addAll(embeddings);
    expected.add("VectorStore.similaritySearch");
    assertEquals(expected, roots, run.stderr());
  }

  @Test
  void aChatCallIsAChatModelSpanInOpenAisChatShapeWithItsUsageCountedOnce() {
    JsonNode trace = tracesOf("ChatModel.call").get(0);
    assertEquals(withOpenAiJava("ChatModel.call [CHAT_MODEL] OK",
        "\n  Completions [CHAT_MODEL] OK"), outline(trace));
    JsonNode span = named(trace, "ChatModel.call");

    assertEquals(parseJson("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\","
        + "\"content\":\"What is MLflow?\"}]}"), attribute(span, "mlflow.spanInputs"));
    JsonNode outputs = attribute(span, "mlflow.spanOutputs");
    assertEquals("chat.completion", outputs.get("object").asText());
    assertEquals(parseJson("{\"role\":\"assistant\",\"content\":\"" + SpringAiFake.ANSWER
        + "\"}"), outputs.at("/choices/0/message"));
    assertEquals("stop", outputs.at("/choices/0/finish_reason").asText());
    assertEquals("openai", attribute(span, "mlflow.message.format").asText());
    assertEquals("openai", attribute(span, "mlflow.llm.provider").asText());
    assertEquals(SpringAiFake.SERVED_MODEL, attribute(span, "mlflow.llm.model").asText());
    assertEquals(tokens(21, 12), attribute(span, "mlflow.chat.tokenUsage"));
    assertEquals(tokens(21, 12), usage(trace), "the nested Completions span is not counted again");
    assertEquals(SpringAiApp.QUESTION, trace.at("/info/request_preview").asText());
    assertEquals(SpringAiFake.ANSWER, trace.at("/info/response_preview").asText());
  }

  @Test
  void aChatClientCallWithAToolIsAChainOverTheModelCallsAndTheToolCall() {
    JsonNode trace = tracesOf("ChatClient.call").get(0);
    String expected = ON_OPENAI_JAVA
        // Spring AI 2.0 runs the tool loop in ChatClient's ToolCallingAdvisor
        ? String.join("\n",
            "ChatClient.call [CHAIN] OK",
            "  ChatModel.call [CHAT_MODEL] OK",
            "    Completions [CHAT_MODEL] OK",
            "  get_weather [TOOL] OK",
            "  ChatModel.call [CHAT_MODEL] OK",
            "    Completions [CHAT_MODEL] OK")
        // Spring AI 1.1 runs it inside the model call
        : String.join("\n",
            "ChatClient.call [CHAIN] OK",
            "  ChatModel.call [CHAT_MODEL] OK",
            "    get_weather [TOOL] OK");
    assertEquals(expected, outline(trace));

    JsonNode tool = named(trace, "get_weather");
    assertEquals(parseJson(SpringAiFake.TOOL_ARGUMENTS), attribute(tool, "mlflow.spanInputs"));
    assertEquals("\"sunny, 24 C in Paris\"", attribute(tool, "mlflow.spanOutputs").asText());

    JsonNode client = named(trace, "ChatClient.call");
    assertEquals("CHAIN", attribute(client, "mlflow.spanType").asText());
    assertEquals(SpringAiApp.WEATHER_QUESTION,
        attribute(client, "mlflow.spanInputs").at("/messages/0/content").asText());
    assertEquals(SpringAiFake.WEATHER_ANSWER,
        attribute(client, "mlflow.spanOutputs").at("/choices/0/message/content").asText());
    assertNull(attribute(client, "mlflow.chat.tokenUsage"), "usage stays on the model calls");
    assertEquals(tokens(75, 18), usage(trace), "both model calls, each counted once");

    for (JsonNode span : trace.at("/data/spans")) {
      if (span.get("name").asText().equals("ChatModel.call")) {
        JsonNode tools = attribute(span, "mlflow.chat.tools");
        assertEquals("get_weather", tools.at("/0/function/name").asText());
        assertEquals("The current weather in a city",
            tools.at("/0/function/description").asText());
        assertEquals("string", tools.at("/0/function/parameters/properties/city/type").asText());
      }
    }
    if (ON_OPENAI_JAVA) {
      List<String> roles = new ArrayList<>();
      trace.at("/data/spans").forEach(span -> {
        if (span.get("name").asText().equals("ChatModel.call")
            && attribute(span, "mlflow.spanInputs").get("messages").size() == 3) {
          attribute(span, "mlflow.spanInputs").get("messages")
              .forEach(message -> roles.add(message.get("role").asText()));
        }
      });
      assertEquals(List.of("user", "assistant", "tool"), roles,
          "the second model call sees the tool call and its result: " + outline(trace));
    }
  }

  @Test
  void aChatClientCallWithoutToolsIsAChainOverOneModelCall() {
    JsonNode trace = tracesOf("ChatClient.call").get(1);
    assertEquals(withOpenAiJava("ChatClient.call [CHAIN] OK\n  ChatModel.call [CHAT_MODEL] OK",
        "\n    Completions [CHAT_MODEL] OK"), outline(trace));
    assertEquals(tokens(21, 12), usage(trace));
  }

  @Test
  void aStreamedChatClientCallIsAChainOverTheModelsStream() {
    JsonNode trace = tracesOf("ChatClient.stream").get(0);
    assertEquals(withOpenAiJava(
        "ChatClient.stream [CHAIN] OK\n  ChatModel.stream [CHAT_MODEL] OK",
        "\n    Completions [CHAT_MODEL] OK"), outline(trace));
    JsonNode client = named(trace, "ChatClient.stream");
    assertEquals(String.join("", SpringAiFake.STREAMED_WORDS),
        attribute(client, "mlflow.spanOutputs").at("/choices/0/message/content").asText());
    assertFalse(chunks(client).isEmpty());
    assertEquals(tokens(14, 6), usage(trace));
  }

  @Test
  void aStreamReadToItsEndHasEachChunkAndTheAssembledAnswer() {
    JsonNode trace = tracesOf("ChatModel.stream").get(0);
    assertEquals(withOpenAiJava("ChatModel.stream [CHAT_MODEL] OK",
        "\n  Completions [CHAT_MODEL] OK"), outline(trace));
    assertStreamedAnswer(trace);
  }

  @Test
  void aStreamSubscribedOnAnotherThreadNestsWhatItCallsTheSame() {
    JsonNode trace = tracesOf("ChatModel.stream").get(2);
    assertEquals(withOpenAiJava("ChatModel.stream [CHAT_MODEL] OK",
        "\n  Completions [CHAT_MODEL] OK"), outline(trace));
    assertStreamedAnswer(trace);
  }

  private static void assertStreamedAnswer(JsonNode trace) {
    JsonNode span = named(trace, "ChatModel.stream");
    List<JsonNode> chunks = chunks(span);
    StringBuilder text = new StringBuilder();
    chunks.forEach(chunk -> {
      assertEquals("chat.completion.chunk", chunk.get("object").asText());
      text.append(chunk.at("/choices/0/delta/content").asText(""));
    });
    assertEquals(String.join("", SpringAiFake.STREAMED_WORDS), text.toString());
    JsonNode outputs = attribute(span, "mlflow.spanOutputs");
    assertEquals(String.join("", SpringAiFake.STREAMED_WORDS),
        outputs.at("/choices/0/message/content").asText());
    assertEquals("stop", outputs.at("/choices/0/finish_reason").asText());
    assertEquals(tokens(14, 6), attribute(span, "mlflow.chat.tokenUsage"));
    assertEquals(tokens(14, 6), usage(trace));
    assertEquals(SpringAiApp.STREAM_QUESTION,
        attribute(span, "mlflow.spanInputs").at("/messages/0/content").asText());
  }

  @Test
  void aStreamCancelledAfterItsFirstItemEndsWithWhatWasRead() {
    JsonNode trace = tracesOf("ChatModel.stream").get(1);
    JsonNode span = named(trace, "ChatModel.stream");
    assertEquals("STATUS_CODE_OK", span.at("/status/code").asText());
    assertEquals(1, chunks(span).size());
    assertEquals("OK", trace.at("/info/state").asText());
  }

  @Test
  void aFailingStreamAndARefusedCallAreErrorTracesAndTheAppGetsItsException() {
    JsonNode broken = tracesOf("ChatModel.stream").get(3);
    assertEquals(withOpenAiJava("ChatModel.stream [CHAT_MODEL] ERROR",
        "\n  Completions [CHAT_MODEL] ERROR"), outline(broken));
    assertEquals("ERROR", broken.at("/info/state").asText());
    assertEquals("exception", named(broken, "ChatModel.stream").at("/events/0/name").asText());

    JsonNode refused = tracesOf("ChatModel.call").get(1);
    assertEquals(withOpenAiJava("ChatModel.call [CHAT_MODEL] ERROR",
        "\n  Completions [CHAT_MODEL] ERROR"), outline(refused));
    JsonNode exception = named(refused, "ChatModel.call").at("/events/0/attributes");
    assertTrue(run.stdout().contains("rejected: "
        + exception.get("exception.type").asText() + "\n"), run.stdout());
    assertEquals(SpringAiFake.REJECTED_MODEL,
        attribute(named(refused, "ChatModel.call"), "mlflow.spanInputs").get("model").asText());
  }

  @Test
  void aSimilaritySearchIsARetrieverSpanWithMlflowDocumentsOverTheQueryEmbedding() {
    JsonNode trace = tracesOf("VectorStore.similaritySearch").get(0);
    assertEquals(withOpenAiJava(
        "VectorStore.similaritySearch [RETRIEVER] OK\n  EmbeddingModel.call [EMBEDDING] OK",
        "\n    Embeddings [EMBEDDING] OK"), outline(trace));
    JsonNode retriever = named(trace, "VectorStore.similaritySearch");
    assertEquals(SpringAiFake.QUESTION, attribute(retriever, "mlflow.spanInputs").asText());
    JsonNode documents = attribute(retriever, "mlflow.spanOutputs");
    assertEquals(2, documents.size());
    JsonNode best = documents.get(0);
    assertEquals("doc-tracing", best.get("id").asText());
    assertEquals(SpringAiFake.TRACING_DOCUMENT, best.get("page_content").asText());
    assertEquals("https://mlflow.org/docs/latest/tracing", best.at("/metadata/doc_uri").asText());
    assertEquals("https://mlflow.org/docs/latest/tracing", best.at("/metadata/source").asText());
    assertTrue(best.at("/metadata/score").asDouble() > 0.99, best.toString());
    assertEquals("doc-spring", documents.get(1).get("id").asText());
    assertTrue(documents.get(1).at("/metadata/score").asDouble() < 0.2);

    JsonNode embedding = named(trace, "EmbeddingModel.call");
    assertEquals(SpringAiFake.QUESTION,
        attribute(embedding, "mlflow.spanInputs").at("/input/0").asText());
    assertEquals(3, attribute(embedding, "mlflow.spanOutputs")
        .at("/data/0/embedding_dimensions").asInt());
    assertEquals(SpringAiFake.EMBEDDING_MODEL, attribute(embedding, "mlflow.llm.model").asText());
    assertEquals(tokens(8, 0), usage(trace));
  }

  @Test
  void storingDocumentsEmbedsThemInEmbeddingSpans() {
    List<JsonNode> embeddings = tracesOf("EmbeddingModel.call");
    JsonNode stored = embeddings.get(1);
    JsonNode span = named(stored, "EmbeddingModel.call");
    assertEquals(withOpenAiJava("EmbeddingModel.call [EMBEDDING] OK",
        "\n  Embeddings [EMBEDDING] OK"), outline(stored));
    assertTrue(attribute(span, "mlflow.spanInputs").at("/input/0").asText()
        .endsWith(SpringAiFake.TRACING_DOCUMENT));
    assertEquals(SpringAiFake.EMBEDDING_MODEL, attribute(span, "mlflow.llm.model").asText());
    assertEquals(3, attribute(span, "mlflow.spanOutputs").at("/data/0/embedding_dimensions")
        .asInt());
  }

  @Test
  void theAppPrintsExactlyWhatItPrintsWithoutTheAgentAndNoKeyIsExported() throws Exception {
    Result without = ForkedApp.of(SpringAiApp.class).args(fake.baseUrl()).withoutAgent().run()
        .assertCleanRun();
    assertEquals(without.stdout(), run.stdout());
    assertTrue(run.stdout().contains("tool: " + SpringAiFake.WEATHER_ANSWER), run.stdout());
    assertTrue(run.stdout().contains("retrieved: [doc-tracing, doc-spring]"), run.stdout());

    String exported = TraceFiles.allText(run.workingDir().resolve("mlflow-traces"));
    assertFalse(exported.contains(SpringAiModels.API_KEY));
    assertFalse(run.stderr().contains(SpringAiModels.API_KEY));
  }

  /** The value of each {@code mlflow.chunk.item.<i>} event, parsed, in order. */
  private static List<JsonNode> chunks(JsonNode span) {
    List<JsonNode> chunks = new ArrayList<>();
    for (JsonNode event : span.path("events")) {
      if (event.get("name").asText().startsWith("mlflow.chunk.item.")) {
        assertEquals("mlflow.chunk.item." + chunks.size(), event.get("name").asText());
        chunks.add(parseJson(event.at("/attributes/mlflow.chunk.value").asText()));
      }
    }
    return chunks;
  }
}
