package org.mlflow.agent.it.openai;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;

/**
 * A plain OpenAI SDK app reading raw responses ({@code withRawResponse()}, for their status and
 * headers), with no tracing code: a completion it parses, a stream it parses and reads, and
 * embeddings it closes without parsing. Its output must be the same with and without the agent.
 *
 * <p>Arguments: the OpenAI base URL (a WireMock fake on 127.0.0.1).
 */
public final class OpenAiRawResponseApp {

  private OpenAiRawResponseApp() {}

  public static void main(String[] args) {
    OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(args[0])
        .apiKey(OpenAiChatApp.API_KEY).maxRetries(0).build();

    try (HttpResponseFor<ChatCompletion> raw = client.chat().completions().withRawResponse()
        .create(ChatCompletionCreateParams.builder()
            .model(OpenAiChatApp.MODEL).addUserMessage("What is MLflow?").build())) {
      System.out.println("raw " + raw.statusCode() + " " + raw.headers().values("Content-Type")
          + ": " + raw.parse().choices().get(0).message().content().orElse(""));
    }

    try (HttpResponseFor<StreamResponse<ChatCompletionChunk>> raw = client.chat().completions()
        .withRawResponse().createStreaming(OpenAiStreamingApp.question(OpenAiChatApp.MODEL))) {
      StringBuilder answer = new StringBuilder();
      raw.parse().stream().forEach(chunk -> chunk.choices().forEach(choice ->
          choice.delta().content().ifPresent(answer::append)));
      System.out.println("raw stream " + raw.statusCode() + ": " + answer);
    }

    try (HttpResponseFor<CreateEmbeddingResponse> raw =
        client.embeddings().withRawResponse().create(OpenAiApisApp.embeddingRequest())) {
      System.out.println("raw embeddings " + raw.statusCode() + ", not parsed");
    }
    client.close();
  }
}
