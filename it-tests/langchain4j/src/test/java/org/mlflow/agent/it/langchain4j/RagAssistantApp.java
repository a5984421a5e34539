package org.mlflow.agent.it.langchain4j;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.rag.content.retriever.EmbeddingStoreContentRetriever;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import java.util.List;

/**
 * A LangChain4j RAG assistant with no tracing code: real local embeddings (the ONNX model in the
 * jar), an in-memory store, one tool, and an OpenAI chat model at the URL given.
 */
public final class RagAssistantApp {

  static final String QUESTION = "How many days of leave does Ada have left, and do they carry over?";

  static final List<String> HANDBOOK = List.of(
      "Paid leave: every employee gets 25 days a year; up to 5 unused days carry over.",
      "Remote work: employees may work remotely up to three days a week.",
      "Expenses: travel must be booked through the company portal.");

  /** The AI service the application declares. */
  public interface HrAssistant {
    String answer(String question);
  }

  /** The tool the model may call. */
  public static final class LeaveTools {
    @Tool("Days of paid leave an employee has left this year")
    public int daysOfLeaveLeft(@P("the employee's first name") String employee) {
      return 12;
    }
  }

  public static void main(String[] args) {
    EmbeddingModel embeddings = new AllMiniLmL6V2QuantizedEmbeddingModel();
    InMemoryEmbeddingStore<TextSegment> store = new InMemoryEmbeddingStore<>();
    List<TextSegment> segments = new java.util.ArrayList<>();
    for (int i = 0; i < HANDBOOK.size(); i++) {
      segments.add(TextSegment.from(HANDBOOK.get(i),
          Metadata.from("file_name", "handbook.md").put("index", String.valueOf(i))));
    }
    List<Embedding> vectors = embeddings.embedAll(segments).content();
    store.addAll(vectors, segments);

    HrAssistant assistant = AiServices.builder(HrAssistant.class)
        .chatModel(OpenAiChatModel.builder().baseUrl(args[0]).apiKey("test-key")
            .modelName(ChatFake.MODEL).build())
        .contentRetriever(EmbeddingStoreContentRetriever.builder().embeddingStore(store)
            .embeddingModel(embeddings).maxResults(2).build())
        .tools(new LeaveTools())
        .build();
    System.out.println("Q: " + QUESTION);
    System.out.println("A: " + assistant.answer(QUESTION));
  }
}
