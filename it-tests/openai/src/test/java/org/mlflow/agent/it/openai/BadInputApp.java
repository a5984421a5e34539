package org.mlflow.agent.it.openai;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.util.concurrent.atomic.AtomicInteger;
import org.mlflow.agent.it.support.TestSecrets;

/**
 * A plain OpenAI SDK app asking one model per argument of a provider that answers badly, printing
 * per call what it got: {@code <model>: returned ...}, {@code <model>: streamed <n> chunks} or
 * {@code <model>: call failed: <exception>}. Models named {@code stream-*} are streamed. Its output
 * must be the same with and without the agent.
 *
 * <p>Arguments: the OpenAI base URL, then the models.
 */
public final class BadInputApp {

  private BadInputApp() {}

  public static void main(String[] args) {
    OpenAIClient client = OpenAIOkHttpClient.builder()
        .baseUrl(args[0])
        .apiKey(TestSecrets.OPENAI_API_KEY)
        .maxRetries(0)
        .build();
    for (int i = 1; i < args.length; i++) {
      ask(client, args[i]);
    }
    client.close();
  }

  private static void ask(OpenAIClient client, String model) {
    ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
        .model(model)
        .addUserMessage("Answer badly.")
        .build();
    try {
      if (model.startsWith("stream-")) {
        AtomicInteger chunks = new AtomicInteger();
        try (StreamResponse<ChatCompletionChunk> stream =
            client.chat().completions().createStreaming(params)) {
          stream.stream().forEach(chunk -> chunks.incrementAndGet());
        }
        System.out.println(model + ": streamed " + chunks + " chunks");
      } else {
        ChatCompletion completion = client.chat().completions().create(params);
        System.out.println(model + ": returned " + describe(completion));
      }
    } catch (RuntimeException failure) {
      System.out.println(model + ": call failed: " + failure.getClass().getName() + ": "
          + firstLine(failure.getMessage()));
    }
  }

  /** What an app reads from a completion; reading a bad field throws in the app, not the call. */
  private static String describe(ChatCompletion completion) {
    try {
      return "content of " + completion.choices().get(0).message().content().map(String::length)
          .orElse(-1) + " chars, finish " + completion.choices().get(0).finishReason()
          + ", usage " + completion.usage().map(u -> u.totalTokens()).orElse(-1L);
    } catch (RuntimeException unreadable) {
      return "unreadable: " + unreadable.getClass().getName() + ": "
          + firstLine(unreadable.getMessage());
    }
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }
}
