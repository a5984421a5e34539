package org.mlflow.agent.examples;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.rag.content.retriever.EmbeddingStoreContentRetriever;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import java.util.ArrayList;
import java.util.List;

/**
 * An ordinary LangChain4j RAG app: an AI service answers questions about a small staff handbook,
 * retrieving the relevant passages (real local embeddings: the ONNX model ships inside the
 * embeddings jar) and calling a tool when it needs a number. There is no tracing code here; run it
 * with {@code -javaagent:mlflow-tracing-agent.jar} and each question is one trace: the AI service,
 * the retrieval with its documents, each model call and the tool.
 *
 * <p>With {@code OPENAI_BASE_URL} and {@code OPENAI_API_KEY} set it talks to that endpoint
 * ({@code OPENAI_MODEL}, default gpt-4o-mini); otherwise it starts a small OpenAI-compatible fake
 * on 127.0.0.1, so the demo needs no network and no key.
 */
public final class RagDemo {

  private static final List<String> HANDBOOK = List.of(
      "Paid leave: every employee gets 25 days a year; up to 5 unused days carry over to the"
          + " next year.",
      "Remote work: employees may work from home up to three days a week, Fridays included.",
      "Expenses: book travel through the company portal; meals are refunded up to 40 EUR a day.",
      "Equipment: every new employee gets a laptop and a 27-inch screen on their first day.");

  private static final List<String> QUESTIONS = List.of(
      "How many days of leave does Ada have left, and do unused days carry over?",
      "Can I work from home on Fridays?");

  /** The AI service: LangChain4j implements it. */
  public interface HandbookAssistant {
    String answer(String question);
  }

  /** The one tool the model may call. */
  public static final class LeaveTools {
    @Tool("Days of paid leave an employee has left this year")
    public int daysOfLeaveLeft(@P("the employee's first name") String employee) {
      return employee.equalsIgnoreCase("Ada") ? 12 : 25;
    }
  }

  private RagDemo() {}

  public static void main(String[] args) throws Exception {
    String baseUrl = System.getenv("OPENAI_BASE_URL");
    String apiKey = System.getenv("OPENAI_API_KEY");
    String model = System.getenv().getOrDefault("OPENAI_MODEL", "gpt-4o-mini");
    FakeOpenAiServer fake = null;
    if (baseUrl == null || apiKey == null) {
      fake = FakeOpenAiServer.start();
      baseUrl = fake.baseUrl();
      apiKey = "sk-demo-not-a-real-key";
      System.out.println("Using the built-in OpenAI-compatible fake at " + baseUrl
          + " (set OPENAI_BASE_URL and OPENAI_API_KEY to use a real endpoint).");
    }
    try {
      EmbeddingModel embeddings = new AllMiniLmL6V2QuantizedEmbeddingModel();
      InMemoryEmbeddingStore<TextSegment> store = new InMemoryEmbeddingStore<>();
      List<TextSegment> passages = new ArrayList<>();
      for (int i = 0; i < HANDBOOK.size(); i++) {
        passages.add(TextSegment.from(HANDBOOK.get(i),
            Metadata.from("file_name", "handbook.md").put("index", String.valueOf(i))));
      }
      store.addAll(embeddings.embedAll(passages).content(), passages);

      HandbookAssistant assistant = AiServices.builder(HandbookAssistant.class)
          .chatModel(OpenAiChatModel.builder().baseUrl(baseUrl).apiKey(apiKey).modelName(model)
              .build())
          .contentRetriever(EmbeddingStoreContentRetriever.builder().embeddingStore(store)
              .embeddingModel(embeddings).maxResults(2).minScore(0.5).build())
          .tools(new LeaveTools())
          .build();
      for (String question : QUESTIONS) {
        System.out.println("Q: " + question);
        System.out.println("A: " + assistant.answer(question));
      }
    } finally {
      if (fake != null) {
        fake.stop();
      }
    }
  }
}
