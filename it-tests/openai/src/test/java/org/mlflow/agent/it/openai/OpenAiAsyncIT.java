package org.mlflow.agent.it.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mlflow.agent.it.openai.ExportedSpans.chunks;
import static org.mlflow.agent.it.openai.ExportedSpans.parsedAll;
import static org.mlflow.agent.it.openai.ExportedSpans.requestsTo;
import static org.mlflow.agent.it.openai.ExportedSpans.status;
import static org.mlflow.agent.it.openai.ExportedSpans.usage;
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

/** The async client: futures and pushed streams end their span when they complete. */
class OpenAiAsyncIT {

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
    return ForkedApp.of(OpenAiAsyncApp.class).args(openai.baseUrl());
  }

  @Test
  void eachAsyncCallIsOneCompleteSpan() {
    assertEquals(5, spans.size(), run.stderr());
    List<String> names = List.of("Completions", "Completions", "Responses", "Responses",
        "Embeddings");
    for (int i = 0; i < names.size(); i++) {
      assertEquals(names.get(i), spans.get(i).get("name").asText());
      assertEquals("STATUS_CODE_OK", status(spans.get(i)));
    }
  }

  @Test
  void anAsyncCompletionHasTheCompletion() {
    JsonNode span = spans.get(0);

    assertEquals(requestsTo(openai.server(), "/v1/chat/completions").get(0),
        attribute(span, "mlflow.spanInputs"));
    assertEquals(parseJson(OpenAiFake.COMPLETION_JSON), attribute(span, "mlflow.spanOutputs"));
    assertEquals(parseJson("{\"input_tokens\":21,\"output_tokens\":12,\"total_tokens\":33}"),
        usage(span));
  }

  @Test
  void anAsyncStreamHasEachChunkPushedToTheHandlerAndTheReassembledCompletion() {
    JsonNode span = spans.get(1);

    assertEquals(requestsTo(openai.server(), "/v1/chat/completions").get(1),
        attribute(span, "mlflow.spanInputs"));
    assertEquals(parsedAll(FakeReplies.ANSWER_CHUNKS), chunks(span));
    assertEquals(FakeReplies.STREAMED_ANSWER,
        attribute(span, "mlflow.spanOutputs").at("/choices/0/message/content").asText());
    assertEquals(parseJson("{\"input_tokens\":14,\"output_tokens\":3,\"total_tokens\":17}"),
        usage(span));
  }

  @Test
  void asyncResponsesAndEmbeddingsReadAsTheirBlockingTwins() {
    assertEquals(parseJson(OpenAiApisIT.RESPONSE_AS_THE_SDK_READS_IT),
        attribute(spans.get(2), "mlflow.spanOutputs"));
    assertEquals(parseJson(OpenAiApisIT.RESPONSE_USAGE), usage(spans.get(2)));
    assertEquals(5, chunks(spans.get(3)).size());
    assertEquals(parseJson(OpenAiApisIT.RESPONSE_AS_THE_SDK_READS_IT),
        attribute(spans.get(3), "mlflow.spanOutputs"));
    assertEquals(parseJson(OpenAiApisIT.SUMMARISED_EMBEDDINGS),
        attribute(spans.get(4), "mlflow.spanOutputs"));
    assertEquals("EMBEDDING", attribute(spans.get(4), "mlflow.spanType").asText());
  }

  @Test
  void theAppPrintsExactlyWhatItPrintsWithoutTheAgent() throws Exception {
    Result without = app().withoutAgent().run().assertCleanRun();

    assertEquals(without.stdout(), run.stdout());
    assertEquals("", without.stderr());
    assertEquals(String.join("\n",
        "async answer: " + OpenAiFake.ANSWER,
        "async streamed: " + FakeReplies.STREAMED_ANSWER,
        "async response: " + FakeReplies.RESPONSE_TEXT,
        "async streamed response: " + FakeReplies.RESPONSE_TEXT,
        "async embeddings: 1536 1536", ""), run.stdout());
  }
}
