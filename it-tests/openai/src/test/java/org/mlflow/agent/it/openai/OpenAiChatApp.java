package org.mlflow.agent.it.openai;

import org.mlflow.agent.it.support.TestSecrets;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;

/**
 * A plain OpenAI SDK app with no tracing code: two chat calls and one the provider rejects. Its
 * output must be the same with and without the agent.
 *
 * <p>Arguments: the OpenAI base URL (a WireMock fake on 127.0.0.1).
 */
public final class OpenAiChatApp {

  /** Never to be seen in a trace or a log line. */
  public static final String API_KEY = TestSecrets.OPENAI_API_KEY;
  public static final String MODEL = "gpt-4o-mini";
  public static final String REJECTED_MODEL = "rejected-model";

  private OpenAiChatApp() {}

  public static void main(String[] args) {
    System.out.println("jackson-databind " + com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION
        + ", okhttp " + okhttp3.OkHttp.VERSION);
    OpenAIClient client = OpenAIOkHttpClient.builder()
        .baseUrl(args[0])
        .apiKey(API_KEY)
        .maxRetries(0)
        .build();
    ask(client, MODEL, "What is MLflow?");
    ask(client, MODEL, "And what is tracing?");
    ask(client, REJECTED_MODEL, "This call fails.");
    client.close();
  }

  private static void ask(OpenAIClient client, String model, String question) {
    ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
        .model(model)
        .addSystemMessage("You are a helpful assistant.")
        .addUserMessage(question)
        .temperature(0.0)
        .build();
    try {
      ChatCompletion completion = client.chat().completions().create(params);
      System.out.println("answer: " + completion.choices().get(0).message().content().orElse("")
          + " (" + completion.usage().map(u -> u.totalTokens()).orElse(0L) + " tokens)");
    } catch (RuntimeException failure) {
      System.out.println("error: " + failure.getClass().getName() + ": " + failure.getMessage());
    }
  }
}
