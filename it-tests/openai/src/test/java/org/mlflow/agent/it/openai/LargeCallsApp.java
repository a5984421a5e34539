package org.mlflow.agent.it.openai;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An app that sends large chat calls as fast as it can on several threads: faster than any
 * exporter can render them, so the agent must keep what it holds within its share of the heap.
 *
 * <p>Arguments: the OpenAI base URL, threads, calls per thread, characters of each question.
 */
public final class LargeCallsApp {

  private LargeCallsApp() {}

  public static void main(String[] args) throws InterruptedException {
    int threads = Integer.parseInt(args[1]);
    int calls = Integer.parseInt(args[2]);
    String question = "q".repeat(Integer.parseInt(args[3]));
    OpenAIClient client = OpenAIOkHttpClient.builder()
        .baseUrl(args[0])
        .apiKey(OpenAiChatApp.API_KEY)
        .maxRetries(0)
        .build();
    AtomicLong answerChars = new AtomicLong();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread worker = new Thread(() -> {
        for (int i = 0; i < calls; i++) {
          ChatCompletion answer = client.chat().completions().create(
              ChatCompletionCreateParams.builder()
                  .model(OpenAiChatApp.MODEL)
                  .addUserMessage(question)
                  .build());
          answerChars.addAndGet(answer.choices().get(0).message().content().orElse("").length());
        }
      });
      worker.start();
      workers.add(worker);
    }
    for (Thread worker : workers) {
      worker.join();
    }
    // A worker that died (an OutOfMemoryError, say) shows here as fewer answer characters.
    System.out.println(threads * calls + " calls made, " + answerChars.get() + " answer chars");
    client.close();
  }
}
