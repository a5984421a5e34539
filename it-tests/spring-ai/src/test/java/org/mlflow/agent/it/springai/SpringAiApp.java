package org.mlflow.agent.it.springai;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.function.FunctionToolCallback;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.SimpleVectorStore;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * An ordinary Spring AI app without Spring Boot and without tracing code: chat calls (plain,
 * through ChatClient with a tool and without, refused), streams (read to the end, cancelled after one item, read on
 * another thread, failing) and a retrieval from a vector store. Each step prints what it got.
 */
public final class SpringAiApp {

  public static final String QUESTION = "What is MLflow?";
  public static final String WEATHER_QUESTION = "What is the weather in Paris?";
  public static final String STREAM_QUESTION = "Stream an answer, please.";

  /** The tool's input, as Spring AI derives its JSON schema from it. */
  public record WeatherRequest(String city) {}

  private SpringAiApp() {}

  public static void main(String[] args) throws Exception {
    String baseUrl = args[0];
    SpringAiModels models = SpringAiModels.forVersionUnderTest();
    ChatModel chat = models.chat(baseUrl, SpringAiFake.MODEL);

    System.out.println("call: " + chat.call(QUESTION));

    ToolCallback weather = FunctionToolCallback
        .builder("get_weather", (Function<WeatherRequest, String>) request ->
            "sunny, 24 C in " + request.city())
        .description("The current weather in a city")
        .inputType(WeatherRequest.class)
        .build();
    ChatModel toolModel = models.chat(baseUrl, SpringAiFake.TOOL_MODEL);
    System.out.println("tool: " + ChatClient.create(toolModel).prompt().user(WEATHER_QUESTION)
        .toolCallbacks(weather).call().content());

    System.out.println("client: " + ChatClient.create(chat).prompt().user(QUESTION).call()
        .content());
    System.out.println("client stream: " + ChatClient.create(chat).prompt().user(STREAM_QUESTION)
        .stream().content().collectList().block());

    Prompt streamed = new Prompt(STREAM_QUESTION, models.options(SpringAiFake.MODEL, List.of()));
    System.out.println("stream: " + texts(chat.stream(streamed)).collectList().block());
    System.out.println("first: " + texts(chat.stream(streamed)).take(1).collectList().block());
    System.out.println("elsewhere: " + texts(chat.stream(streamed)
        .subscribeOn(Schedulers.boundedElastic())).collectList().block());
    try {
      chat.stream(new Prompt(STREAM_QUESTION,
          models.options(SpringAiFake.BROKEN_STREAM_MODEL, List.of()))).blockLast();
    } catch (RuntimeException failure) {
      System.out.println("broken stream: " + failure.getClass().getName());
    }
    try {
      models.chat(baseUrl, SpringAiFake.REJECTED_MODEL).call(QUESTION);
    } catch (RuntimeException failure) {
      System.out.println("rejected: " + failure.getClass().getName());
    }

    EmbeddingModel embedding = models.embedding(baseUrl, SpringAiFake.EMBEDDING_MODEL);
    SimpleVectorStore store = SimpleVectorStore.builder(embedding).build();
    store.add(List.of(
        new Document("doc-tracing", SpringAiFake.TRACING_DOCUMENT,
            Map.of("source", "https://mlflow.org/docs/latest/tracing")),
        new Document("doc-spring", SpringAiFake.SPRING_DOCUMENT,
            Map.of("source", "https://spring.io/projects/spring-ai"))));
    List<Document> found = store.similaritySearch(
        SearchRequest.builder().query(SpringAiFake.QUESTION).topK(2).build());
    System.out.println("retrieved: " + found.stream().map(Document::getId).toList());
    // The HTTP clients' idle threads would keep the JVM up for another minute.
    System.exit(0);
  }

  /** The text of each streamed response (a last usage-only response has none). */
  private static Flux<String> texts(Flux<ChatResponse> responses) {
    return responses.map(response -> response.getResult() == null
        || response.getResult().getOutput().getText() == null
        ? "" : response.getResult().getOutput().getText());
  }
}
