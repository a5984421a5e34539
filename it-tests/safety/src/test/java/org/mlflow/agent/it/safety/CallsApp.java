package org.mlflow.agent.it.safety;

import com.openai.client.OpenAIClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;

/**
 * Makes OpenAI chat calls (one trace each) on its main thread, answered in memory by
 * {@link CannedHttpClient}, then prints {@code <n> calls made}.
 *
 * <p>Arguments: the number of calls, or 0 to go on until the JVM is killed (as a service serving
 * requests would, so a crash finds it mid-run); the milliseconds between two calls.
 */
public final class CallsApp {

  private CallsApp() {}

  public static void main(String[] args) throws Exception {
    long calls = Long.parseLong(args[0]);
    long pauseMillis = Long.parseLong(args[1]);
    OpenAIClient client = CannedHttpClient.openAiClient();
    ChatCompletionCreateParams params = CannedHttpClient.chatCall("What is MLflow?");
    long made = 0;
    while (calls == 0 || made < calls) {
      client.chat().completions().create(params);
      made++;
      Thread.sleep(pauseMillis);
    }
    client.close();
    System.out.println(made + " calls made");
  }
}
