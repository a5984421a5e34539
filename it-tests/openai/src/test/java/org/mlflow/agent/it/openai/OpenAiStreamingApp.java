package org.mlflow.agent.it.openai;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import java.util.stream.Collectors;

/**
 * A plain OpenAI SDK app streaming chat completions, with no tracing code: a streamed answer
 * (usage asked for), a streamed tool call, a stream the app closes after its first word, one the
 * server fails half-way with an error event, and one whose connection is cut. Its output must be
 * the same with and without the agent.
 *
 * <p>Arguments: the OpenAI base URL (a WireMock fake), the base URL of a server that cuts streams.
 */
public final class OpenAiStreamingApp {

  private OpenAiStreamingApp() {}

  public static void main(String[] args) {
    OpenAIClient client = client(args[0]);
    streamAnswer(client);
    streamToolCall(client);
    readFirstWordThenClose(client);
    stream("overloaded", client, FakeReplies.OVERLOADED_MODEL);
    OpenAIClient cutting = client(args[1]);
    stream("cut", cutting, OpenAiChatApp.MODEL);
    cutting.close();
    client.close();
  }

  private static OpenAIClient client(String baseUrl) {
    return OpenAIOkHttpClient.builder().baseUrl(baseUrl).apiKey(OpenAiChatApp.API_KEY)
        .maxRetries(0).build();
  }

  static ChatCompletionCreateParams question(String model) {
    return ChatCompletionCreateParams.builder()
        .model(model)
        .addUserMessage("What does MLflow trace?")
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
        .build();
  }

  private static void streamAnswer(OpenAIClient client) {
    try (StreamResponse<ChatCompletionChunk> stream =
        client.chat().completions().createStreaming(question(OpenAiChatApp.MODEL))) {
      StringBuilder answer = new StringBuilder();
      long[] tokens = {0};
      stream.stream().forEach(chunk -> {
        chunk.choices().forEach(choice -> choice.delta().content().ifPresent(answer::append));
        chunk.usage().ifPresent(usage -> tokens[0] = usage.totalTokens());
      });
      System.out.println("streamed: " + answer + " (" + tokens[0] + " tokens)");
    }
  }

  private static void streamToolCall(OpenAIClient client) {
    try (StreamResponse<ChatCompletionChunk> stream =
        client.chat().completions().createStreaming(question(FakeReplies.TOOL_MODEL))) {
      String arguments = stream.stream()
          .flatMap(chunk -> chunk.choices().stream())
          .flatMap(choice -> choice.delta().toolCalls().stream().flatMap(calls -> calls.stream()))
          .map(call -> call.function().flatMap(function -> function.arguments()).orElse(""))
          .collect(Collectors.joining());
      System.out.println("streamed tool call arguments: " + arguments);
    }
  }

  private static void readFirstWordThenClose(OpenAIClient client) {
    try (StreamResponse<ChatCompletionChunk> stream =
        client.chat().completions().createStreaming(question(OpenAiChatApp.MODEL))) {
      String firstWord = stream.stream()
          .flatMap(chunk -> chunk.choices().stream())
          .map(choice -> choice.delta().content().orElse(""))
          .filter(content -> !content.isEmpty())
          .findFirst()
          .orElse("");
      System.out.println("first word: " + firstWord);
    }
  }

  private static void stream(String label, OpenAIClient client, String model) {
    StringBuilder answer = new StringBuilder();
    try (StreamResponse<ChatCompletionChunk> stream =
        client.chat().completions().createStreaming(question(model))) {
      stream.stream().forEach(chunk ->
          chunk.choices().forEach(choice -> choice.delta().content().ifPresent(answer::append)));
      System.out.println(label + ": " + answer);
    } catch (RuntimeException failure) {
      System.out.println(label + ": " + answer + " then " + failure.getClass().getName() + ": "
          + failure.getMessage());
    }
  }
}
