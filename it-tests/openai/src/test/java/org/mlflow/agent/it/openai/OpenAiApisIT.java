package org.mlflow.agent.it.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mlflow.agent.it.openai.ExportedSpans.chunks;
import static org.mlflow.agent.it.openai.ExportedSpans.requestsTo;
import static org.mlflow.agent.it.openai.ExportedSpans.status;
import static org.mlflow.agent.it.openai.ExportedSpans.usage;
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

/** Tools, structured outputs, the Responses API and embeddings, each call one span. */
class OpenAiApisIT {

  /** The SDK reads the Responses API's "created_at" as a double, and writes it back so. */
  static final String RESPONSE_AS_THE_SDK_READS_IT =
      FakeReplies.RESPONSE_JSON.replace("1732300002", "1732300002.0");

  static final String RESPONSE_USAGE = "{\"input_tokens\":25,\"output_tokens\":6,"
      + "\"total_tokens\":31,\"cache_read_input_tokens\":16}";

  static final String SUMMARISED_EMBEDDINGS = "{\"object\":\"list\",\"data\":["
      + "{\"object\":\"embedding\",\"index\":0,\"embedding_dimensions\":1536},"
      + "{\"object\":\"embedding\",\"index\":1,\"embedding_dimensions\":1536}],"
      + "\"model\":\"text-embedding-3-small\",\"usage\":{\"prompt_tokens\":8,\"total_tokens\":8}}";

  private static OpenAiFake openai;
  private static Result run;
  private static List<JsonNode> spans;

  @BeforeAll
  static void runTheApp() throws Exception {
    openai = new OpenAiFake();
    run = app().run().assertCleanRun();
    spans = ExportedSpans.oneSpanPerTrace(
        TraceFiles.read(run.workingDir().resolve("mlflow-traces")));
  }

  @AfterAll
  static void stop() {
    openai.close();
  }

  private static ForkedApp app() {
    return ForkedApp.of(OpenAiApisApp.class).args(openai.baseUrl());
  }

  @Test
  void eachCallIsOneSpanNamedAsMlflowNamesIt() {
    List<String> names = new ArrayList<>();
    spans.forEach(span -> names.add(span.get("name").asText() + " "
        + attribute(span, "mlflow.spanType").asText()));

    assertEquals(List.of("Completions CHAT_MODEL", "Completions CHAT_MODEL",
        "Responses CHAT_MODEL", "Responses CHAT_MODEL", "Embeddings EMBEDDING"), names,
        "a structured output is one span, though the SDK builds it over a plain create()");
    spans.forEach(span -> assertEquals("STATUS_CODE_OK", status(span)));
  }

  @Test
  void offeredToolsAreRecordedAndTheToolCallIsInTheOutputs() {
    JsonNode span = spans.get(0);
    JsonNode sent = requestsTo(openai.server(), "/v1/chat/completions").get(0);

    assertEquals(sent, attribute(span, "mlflow.spanInputs"));
    assertEquals(sent.get("tools"), attribute(span, "mlflow.chat.tools"),
        "chat completion tools are already OpenAI-style definitions");
    assertEquals(FakeReplies.TOOL_NAME,
        attribute(span, "mlflow.chat.tools").at("/0/function/name").asText());
    assertEquals(parseJson(FakeReplies.TOOL_CALL_COMPLETION), attribute(span, "mlflow.spanOutputs"));
    assertEquals(parseJson("{\"input_tokens\":40,\"output_tokens\":9,\"total_tokens\":49,"
        + "\"cache_read_input_tokens\":32}"), usage(span));
  }

  @Test
  void aStructuredOutputIsTheRawCompletionOfOneCall() {
    JsonNode span = spans.get(1);
    JsonNode sent = requestsTo(openai.server(), "/v1/chat/completions").get(1);

    assertEquals(sent, attribute(span, "mlflow.spanInputs"));
    assertEquals("json_schema", sent.at("/response_format/type").asText());
    assertEquals(parseJson(FakeReplies.STRUCTURED_COMPLETION),
        attribute(span, "mlflow.spanOutputs"));
    assertEquals(parseJson("{\"input_tokens\":60,\"output_tokens\":11,\"total_tokens\":71}"),
        usage(span));
  }

  @Test
  void aResponsesCallHasItsRequestResponseToolsAndUsage() {
    JsonNode span = spans.get(2);
    JsonNode sent = requestsTo(openai.server(), "/v1/responses").get(0);

    assertEquals(sent, attribute(span, "mlflow.spanInputs"));
    assertEquals(parseJson(RESPONSE_AS_THE_SDK_READS_IT), attribute(span, "mlflow.spanOutputs"));
    assertEquals("openai", attribute(span, "mlflow.message.format").asText());
    assertEquals(FakeReplies.SERVED_MODEL, attribute(span, "mlflow.llm.model").asText());
    assertEquals(parseJson(RESPONSE_USAGE), usage(span));
    assertEquals(parseJson("[{\"type\":\"function\",\"function\":{\"name\":\""
            + FakeReplies.TOOL_NAME + "\",\"parameters\":{\"type\":\"object\"},\"strict\":false}}]"),
        attribute(span, "mlflow.chat.tools"), "Responses API tools as OpenAI-style definitions");
  }

  @Test
  void aStreamedResponsesCallHasEachEventAndTheFinalResponse() {
    JsonNode span = spans.get(3);
    JsonNode sent = requestsTo(openai.server(), "/v1/responses").get(1);

    assertEquals(sent, attribute(span, "mlflow.spanInputs"));
    assertTrue(sent.get("stream").asBoolean());
    List<JsonNode> events = chunks(span);
    assertEquals(5, events.size());
    assertEquals("response.output_text.delta", events.get(1).get("type").asText());
    assertEquals("response.completed", events.get(4).get("type").asText());
    assertEquals(parseJson(RESPONSE_AS_THE_SDK_READS_IT), attribute(span, "mlflow.spanOutputs"),
        "the response the response.completed event carries");
    assertEquals(parseJson(RESPONSE_USAGE), usage(span));
  }

  @Test
  void embeddingsKeepTheirCountAndDimensionsNotTheVectors() {
    JsonNode span = spans.get(4);

    assertEquals(requestsTo(openai.server(), "/v1/embeddings").get(0),
        attribute(span, "mlflow.spanInputs"));
    assertEquals(parseJson(SUMMARISED_EMBEDDINGS), attribute(span, "mlflow.spanOutputs"));
    assertEquals(FakeReplies.EMBEDDING_MODEL, attribute(span, "mlflow.llm.model").asText());
    assertEquals("openai", attribute(span, "mlflow.llm.provider").asText());
    assertNull(attribute(span, "mlflow.message.format"), "not a chat");
    assertEquals(parseJson("{\"input_tokens\":8,\"output_tokens\":0,\"total_tokens\":8}"),
        usage(span));
  }

  @Test
  void theAppPrintsExactlyWhatItPrintsWithoutTheAgent() throws Exception {
    Result without = app().withoutAgent().run().assertCleanRun();

    assertEquals(without.stdout(), run.stdout());
    // The SDK's JSON schema generator for structured outputs logs through SLF4J, which has no
    // provider here: the app's own stderr, with or without the agent.
    assertTrue(without.stderr().startsWith("SLF4J"), without.stderr());
    assertTrue(run.stderr().contains(without.stderr()), run.stderr());
    assertEquals(String.join("\n",
        "tool call: " + FakeReplies.TOOL_NAME + " " + FakeReplies.TOOL_ARGUMENTS,
        "structured: MLflow 2018",
        "response: " + FakeReplies.RESPONSE_TEXT,
        "streamed response: " + FakeReplies.RESPONSE_TEXT + " (completed)",
        "embeddings: 1536 1536", ""), run.stdout());
  }
}
