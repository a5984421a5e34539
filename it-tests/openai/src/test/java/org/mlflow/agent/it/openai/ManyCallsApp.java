package org.mlflow.agent.it.openai;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;

/**
 * A plain OpenAI SDK app making many chat calls in a row, one trace each.
 *
 * <p>Arguments: the OpenAI base URL, the number of calls.
 */
public final class ManyCallsApp {

  private ManyCallsApp() {}

  public static void main(String[] args) {
    int calls = Integer.parseInt(args[1]);
    OpenAIClient client = OpenAIOkHttpClient.builder()
        .baseUrl(args[0])
        .apiKey(OpenAiChatApp.API_KEY)
        .maxRetries(0)
        .build();
    for (int i = 0; i < calls; i++) {
      client.chat().completions().create(ChatCompletionCreateParams.builder()
          .model(OpenAiChatApp.MODEL)
          .addUserMessage("Question " + i)
          .build());
    }
    System.out.println(calls + " calls made");
    client.close();
  }
}
