package org.mlflow.agent.it.openai;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;

/**
 * A plain OpenAI SDK app with no tracing code: one streamed chat completion, then embeddings.
 *
 * <p>Arguments: the OpenAI base URL (a WireMock fake on 127.0.0.1).
 */
public final class StreamAndEmbedApp {

  private StreamAndEmbedApp() {}

  public static void main(String[] args) {
    OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(args[0])
        .apiKey(OpenAiChatApp.API_KEY).maxRetries(0).build();
    StringBuilder answer = new StringBuilder();
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions()
        .createStreaming(OpenAiStreamingApp.question(OpenAiChatApp.MODEL))) {
      stream.stream().forEach(chunk -> chunk.choices().forEach(choice ->
          choice.delta().content().ifPresent(answer::append)));
    }
    System.out.println("streamed: " + answer);
    System.out.println("embeddings: " + OpenAiApisApp.dimensions(
        client.embeddings().create(OpenAiApisApp.embeddingRequest())));
    client.close();
  }
}
