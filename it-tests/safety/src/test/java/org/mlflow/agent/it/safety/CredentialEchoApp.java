package org.mlflow.agent.it.safety;

import com.example.vault.VaultClient;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;

/**
 * An app whose errors quote its credentials, as real ones do: the provider answers the second
 * call with a 401 whose message echoes the API key ("Incorrect API key provided: sk-..."), and the
 * app's own {@link VaultClient#connect} fails with a message naming the key and the tracking
 * token. It prints
 * whether each exception it caught still quotes the credential (the agent must not change what
 * the app sees), never the credential itself.
 *
 * <p>Arguments: the OpenAI base URL. The key is {@code OPENAI_API_KEY}, as most apps take it.
 */
public final class CredentialEchoApp {

  /** The second call's question; the fake provider refuses it with the key in its message. */
  static final String REFUSED_QUESTION = "Ask with the revoked key";

  private CredentialEchoApp() {}

  public static void main(String[] args) {
    String apiKey = System.getenv("OPENAI_API_KEY");
    OpenAIClient client = OpenAIOkHttpClient.builder()
        .baseUrl(args[0])
        .apiKey(apiKey)
        .maxRetries(0)
        .build();
    System.out.println("answer: " + client.chat().completions().create(question("What is MLflow?"))
        .choices().get(0).message().content().orElse(""));
    try {
      client.chat().completions().create(question(REFUSED_QUESTION));
    } catch (RuntimeException refused) {
      System.out.println("refused: " + refused.getClass().getName() + ", message quotes the key: "
          + refused.getMessage().contains(apiKey));
    }
    try {
      VaultClient.connect();
    } catch (IllegalStateException failed) {
      System.out.println("own error quotes the key and token: "
          + (failed.getMessage().contains(apiKey)
              && failed.getMessage().contains(System.getenv("MLFLOW_TRACKING_TOKEN"))));
    }
    client.close();
  }

  private static ChatCompletionCreateParams question(String text) {
    return ChatCompletionCreateParams.builder().model("gpt-4o-mini").addUserMessage(text).build();
  }
}
