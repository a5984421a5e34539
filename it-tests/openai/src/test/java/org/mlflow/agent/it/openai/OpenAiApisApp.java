package org.mlflow.agent.it.openai;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.StructuredChatCompletion;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import java.util.List;
import java.util.Map;

/**
 * A plain OpenAI SDK app using the APIs beyond plain chat, with no tracing code: a chat completion
 * that offers a tool and gets a tool call, a structured output, a Responses API call and its
 * streamed twin, and embeddings. Its output must be the same with and without the agent.
 *
 * <p>Arguments: the OpenAI base URL (a WireMock fake on 127.0.0.1).
 */
public final class OpenAiApisApp {

  /** What the structured output is read into. */
  public static final class Release {
    public String name;
    public int firstRelease;
  }

  private OpenAiApisApp() {}

  public static void main(String[] args) {
    OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(args[0])
        .apiKey(OpenAiChatApp.API_KEY).maxRetries(0).build();
    callWithATool(client);
    structuredOutput(client);
    respond(client);
    respondStreaming(client);
    embed(client);
    client.close();
  }

  static ChatCompletionFunctionTool weatherTool() {
    return ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder()
        .name(FakeReplies.TOOL_NAME)
        .description("The current weather in a city")
        .parameters(FunctionParameters.builder()
            .putAdditionalProperty("type", JsonValue.from("object"))
            .putAdditionalProperty("properties",
                JsonValue.from(Map.of("city", Map.of("type", "string"))))
            .putAdditionalProperty("required", JsonValue.from(List.of("city")))
            .build())
        .build()).build();
  }

  private static void callWithATool(OpenAIClient client) {
    ChatCompletion completion = client.chat().completions().create(
        ChatCompletionCreateParams.builder()
            .model(FakeReplies.TOOL_MODEL)
            .addUserMessage("What is the weather in Paris?")
            .addTool(weatherTool())
            .build());
    completion.choices().get(0).message().toolCalls().orElse(List.of()).forEach(call -> {
      ChatCompletionMessageFunctionToolCall.Function function = call.function().get().function();
      System.out.println("tool call: " + function.name() + " " + function.arguments());
    });
  }

  private static void structuredOutput(OpenAIClient client) {
    StructuredChatCompletion<Release> completion = client.chat().completions().create(
        ChatCompletionCreateParams.builder()
            .model(OpenAiChatApp.MODEL)
            .addUserMessage("Which release of MLflow came first?")
            .responseFormat(Release.class)
            .build());
    Release release = completion.choices().get(0).message().content().get();
    System.out.println("structured: " + release.name + " " + release.firstRelease);
  }

  static ResponseCreateParams responseRequest() {
    return ResponseCreateParams.builder()
        .model(OpenAiChatApp.MODEL)
        .input("What does MLflow trace?")
        .addTool(FunctionTool.builder()
            .name(FakeReplies.TOOL_NAME)
            .parameters(FunctionTool.Parameters.builder()
                .putAdditionalProperty("type", JsonValue.from("object"))
                .build())
            .strict(false)
            .build())
        .build();
  }

  static String text(Response response) {
    return response.output().get(0).message().get().content().get(0).outputText().get().text();
  }

  private static void respond(OpenAIClient client) {
    System.out.println("response: " + text(client.responses().create(responseRequest())));
  }

  private static void respondStreaming(OpenAIClient client) {
    StringBuilder text = new StringBuilder();
    try (StreamResponse<ResponseStreamEvent> events =
        client.responses().createStreaming(responseRequest())) {
      events.stream().forEach(event -> {
        event.outputTextDelta().ifPresent(delta -> text.append(delta.delta()));
        event.completed().ifPresent(completed ->
            text.append(" (").append(completed.response().status().get()).append(")"));
      });
    }
    System.out.println("streamed response: " + text);
  }

  static EmbeddingCreateParams embeddingRequest() {
    return EmbeddingCreateParams.builder()
        .model(FakeReplies.EMBEDDING_MODEL)
        .inputOfArrayOfStrings(List.of("MLflow traces", "GenAI apps"))
        .build();
  }

  static String dimensions(CreateEmbeddingResponse embeddings) {
    StringBuilder dimensions = new StringBuilder();
    embeddings.data().forEach(embedding ->
        dimensions.append(' ').append(embedding.embedding().size()));
    return dimensions.toString().trim();
  }

  private static void embed(OpenAIClient client) {
    System.out.println("embeddings: " + dimensions(client.embeddings().create(embeddingRequest())));
  }
}
