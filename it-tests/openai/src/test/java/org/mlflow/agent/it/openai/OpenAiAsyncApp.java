package org.mlflow.agent.it.openai;

import com.openai.client.OpenAIClientAsync;
import com.openai.client.okhttp.OpenAIOkHttpClientAsync;
import com.openai.core.http.AsyncStreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.responses.ResponseStreamEvent;

/**
 * A plain OpenAI SDK app on the async client, with no tracing code: a chat completion, a streamed
 * one read through a handler, a Responses API call and its streamed twin, and embeddings. Its
 * output must be the same with and without the agent.
 *
 * <p>Arguments: the OpenAI base URL (a WireMock fake on 127.0.0.1).
 */
public final class OpenAiAsyncApp {

  private OpenAiAsyncApp() {}

  public static void main(String[] args) {
    OpenAIClientAsync client = OpenAIOkHttpClientAsync.builder().baseUrl(args[0])
        .apiKey(OpenAiChatApp.API_KEY).maxRetries(0).build();

    String answer = client.chat().completions().create(ChatCompletionCreateParams.builder()
            .model(OpenAiChatApp.MODEL).addUserMessage("What is MLflow?").build())
        .thenApply(completion -> completion.choices().get(0).message().content().orElse(""))
        .join();
    System.out.println("async answer: " + answer);

    StringBuilder streamed = new StringBuilder();
    AsyncStreamResponse<ChatCompletionChunk> chunks = client.chat().completions()
        .createStreaming(OpenAiStreamingApp.question(OpenAiChatApp.MODEL));
    chunks.subscribe(chunk -> chunk.choices().forEach(choice ->
        choice.delta().content().ifPresent(streamed::append)));
    chunks.onCompleteFuture().join();
    System.out.println("async streamed: " + streamed);

    System.out.println("async response: "
        + OpenAiApisApp.text(client.responses().create(OpenAiApisApp.responseRequest()).join()));

    StringBuilder text = new StringBuilder();
    AsyncStreamResponse<ResponseStreamEvent> events =
        client.responses().createStreaming(OpenAiApisApp.responseRequest());
    events.subscribe(event ->
        event.outputTextDelta().ifPresent(delta -> text.append(delta.delta())));
    events.onCompleteFuture().join();
    System.out.println("async streamed response: " + text);

    System.out.println("async embeddings: " + OpenAiApisApp.dimensions(
        client.embeddings().create(OpenAiApisApp.embeddingRequest()).join()));
    client.close();
  }
}
