package org.mlflow.agent.it.safety;

import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientImpl;
import com.openai.core.ClientOptions;
import com.openai.core.RequestOptions;
import com.openai.core.http.Headers;
import com.openai.core.http.HttpClient;
import com.openai.core.http.HttpRequest;
import com.openai.core.http.HttpResponse;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.mlflow.agent.it.support.TestSecrets;

/**
 * The OpenAI SDK's transport replaced by one canned chat completion in memory: the soak measures
 * the agent under thousands of callers, not a socket per virtual thread. The SDK still builds,
 * sends (here: drops) and parses every call, so the agent's hooks see real SDK objects.
 */
final class CannedHttpClient implements HttpClient {

  static final String COMPLETION = "{\"id\":\"chatcmpl-soak\",\"object\":\"chat.completion\","
      + "\"created\":1700000000,\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,"
      + "\"message\":{\"role\":\"assistant\",\"content\":\"ok\",\"refusal\":null},"
      + "\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":3,"
      + "\"completion_tokens\":1,\"total_tokens\":4}}";
  private static final byte[] BODY = COMPLETION.getBytes(StandardCharsets.UTF_8);
  private static final Headers HEADERS =
      Headers.builder().put("Content-Type", "application/json").build();

  /** An OpenAI client whose every call this canned transport answers. */
  static OpenAIClient openAiClient() {
    return new OpenAIClientImpl(ClientOptions.builder()
        .httpClient(new CannedHttpClient())
        .baseUrl("http://127.0.0.1:9/v1")
        .apiKey(TestSecrets.OPENAI_API_KEY)
        .maxRetries(0)
        .build());
  }

  /** A chat call asking {@code question}. */
  static ChatCompletionCreateParams chatCall(String question) {
    return ChatCompletionCreateParams.builder()
        .model("gpt-4o-mini")
        .addUserMessage(question)
        .build();
  }

  @Override
  public HttpResponse execute(HttpRequest request, RequestOptions options) {
    return new HttpResponse() {
      @Override
      public int statusCode() {
        return 200;
      }

      @Override
      public Headers headers() {
        return HEADERS;
      }

      @Override
      public InputStream body() {
        return new ByteArrayInputStream(BODY);
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public CompletableFuture<HttpResponse> executeAsync(HttpRequest request,
      RequestOptions options) {
    return CompletableFuture.completedFuture(execute(request, options));
  }

  @Override
  public void close() {}
}
