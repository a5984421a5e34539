package org.mlflow.agent.it.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
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

/** A streamed LangChain4j chat call and a refused one, with the agent attached. */
class StreamingChatIT {

  private static ChatFake chat;
  private static Result run;
  private static List<JsonNode> traces;

  @BeforeAll
  static void runTheApp() throws Exception {
    chat = new ChatFake();
    run = ForkedApp.of(StreamingChatApp.class).args(chat.baseUrl()).run().assertCleanRun();
    traces = TraceFiles.read(run.workingDir().resolve("mlflow-traces"));
  }

  @AfterAll
  static void stopFake() {
    chat.close();
  }

  @Test
  void theAppSeesWhatItSeesWithoutTheAgent() throws Exception {
    Result plain = ForkedApp.of(StreamingChatApp.class).args(chat.baseUrl()).withoutAgent().run();
    assertEquals(0, plain.exitCode(), plain.stderr());
    assertEquals(plain.stdout(), run.stdout());
    assertTrue(run.stdout().contains("streamed: [Ada has ][12 days ][left.]"), run.stdout());
  }

  @Test
  void aStreamedCallEndsOnItsCompletionWithEachPartialResponseAsAChunk() {
    assertEquals(3, traces.size(), run.stderr());
    JsonNode trace = traces.get(0);
    assertEquals(List.of("OpenAiStreamingChatModel [CHAT_MODEL]"), SpanTree.outline(trace));
    JsonNode span = trace.at("/data/spans/0");
    assertEquals("STATUS_CODE_OK", span.at("/status/code").asText());
    List<String> chunkNames = new ArrayList<>();
    List<String> chunks = new ArrayList<>();
    for (JsonNode event : span.get("events")) {
      chunkNames.add(event.get("name").asText());
      chunks.add(parseJson(event.at("/attributes/mlflow.chunk.value").asText()).asText());
    }
    assertEquals(List.of("mlflow.chunk.item.0", "mlflow.chunk.item.1", "mlflow.chunk.item.2"),
        chunkNames);
    assertEquals(List.of("Ada has ", "12 days ", "left."), chunks);
    assertEquals("Ada has 12 days left.", attribute(span, "mlflow.spanOutputs")
        .at("/choices/0/message/content").asText());
    assertEquals("How much leave is left?",
        attribute(span, "mlflow.spanInputs").at("/messages/0/content").asText());
    assertEquals("openai", attribute(span, "mlflow.message.format").asText());
    assertEquals(parseJson("{\"input_tokens\":30,\"output_tokens\":6,\"total_tokens\":36}"),
        attribute(span, "mlflow.chat.tokenUsage"));
    assertEquals("Ada has 12 days left.", trace.at("/info/response_preview").asText());
  }

  @Test
  void aRefusedStreamEndsItsSpanOnTheErrorCallbackAsAnError() {
    JsonNode trace = traces.get(1);
    assertEquals(List.of("OpenAiStreamingChatModel [CHAT_MODEL]"), SpanTree.outline(trace));
    assertEquals("ERROR", trace.at("/info/state").asText());
    JsonNode exception = trace.at("/data/spans/0/events/0");
    assertEquals("exception", exception.get("name").asText());
    String type = exception.at("/attributes/exception.type").asText();
    assertTrue(run.stdout().contains("stream refused: " + type.substring(type.lastIndexOf('.') + 1)),
        type + " / " + run.stdout());
  }

  @Test
  void aRefusedCallIsAnErrorSpanWithTheExceptionTheAppGot() {
    JsonNode trace = traces.get(2);
    assertEquals(List.of("OpenAiChatModel [CHAT_MODEL]"), SpanTree.outline(trace));
    assertEquals("ERROR", trace.at("/info/state").asText());
    JsonNode span = trace.at("/data/spans/0");
    assertEquals("STATUS_CODE_ERROR", span.at("/status/code").asText());
    JsonNode exception = span.at("/events/0");
    assertEquals("exception", exception.get("name").asText());
    String type = exception.at("/attributes/exception.type").asText();
    assertTrue(run.stdout().contains("refused: " + type.substring(type.lastIndexOf('.') + 1)),
        type + " / " + run.stdout());
    assertTrue(exception.at("/attributes/exception.message").asText().contains(ChatFake.REFUSAL),
        exception.toString());
    assertEquals(ChatFake.REJECTED_MODEL, attribute(span, "mlflow.llm.model").asText());
  }
}
