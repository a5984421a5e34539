package org.mlflow.agent.it.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.it.support.ForkedApp;
import org.mlflow.agent.it.support.ForkedApp.Result;
import org.mlflow.agent.it.support.TraceFiles;

/** Retrieval LangChain4j runs on its own executor's threads keeps its parent, the AI service. */
class TwoRetrieversIT {

  private static ChatFake chat;

  @BeforeAll
  static void startFake() {
    chat = new ChatFake();
  }

  @AfterAll
  static void stopFake() {
    chat.close();
  }

  @Test
  void bothRetrievalsAreChildrenOfTheAgentThoughTheyRanOnOtherThreads() throws Exception {
    Result run = ForkedApp.of(TwoRetrieversApp.class).args(chat.baseUrl()).run().assertCleanRun();
    Result plain = ForkedApp.of(TwoRetrieversApp.class).args(chat.baseUrl()).withoutAgent().run();
    assertEquals(plain.stdout(), run.stdout());

    List<JsonNode> traces = TraceFiles.read(run.workingDir().resolve("mlflow-traces"));
    JsonNode question = traces.get(traces.size() - 1);
    assertEquals(List.of(
        "HrAssistant.answer [AGENT]",
        "  EmbeddingStoreContentRetriever [RETRIEVER]",
        "    AllMiniLmL6V2QuantizedEmbeddingModel [EMBEDDING]",
        "    InMemoryEmbeddingStore [RETRIEVER]",
        "  EmbeddingStoreContentRetriever [RETRIEVER]",
        "    AllMiniLmL6V2QuantizedEmbeddingModel [EMBEDDING]",
        "    InMemoryEmbeddingStore [RETRIEVER]",
        "  OpenAiChatModel [CHAT_MODEL]"), SpanTree.outline(question));
  }
}
