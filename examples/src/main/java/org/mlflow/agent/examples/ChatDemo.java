package org.mlflow.agent.examples;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.util.List;

/**
 * An ordinary OpenAI SDK app: it asks a few questions and prints the answers. There is no tracing
 * code here; run it with {@code -javaagent:mlflow-tracing-agent.jar} and every call is a trace.
 *
 * <p>With {@code OPENAI_BASE_URL} and {@code OPENAI_API_KEY} set it talks to that endpoint
 * ({@code OPENAI_MODEL}, default gpt-4o-mini); otherwise it starts a small OpenAI-compatible fake
 * on 127.0.0.1, so the demo needs no network and no key.
 */
public final class ChatDemo {

  private static final List<String> QUESTIONS = List.of(
      "What is MLflow Tracing?",
      "Why trace LLM calls in production?",
      "How does a Java agent add tracing without code changes?");

  private ChatDemo() {}

  public static void main(String[] args) throws Exception {
    String baseUrl = System.getenv("OPENAI_BASE_URL");
    String apiKey = System.getenv("OPENAI_API_KEY");
    String model = System.getenv().getOrDefault("OPENAI_MODEL", "gpt-4o-mini");
    FakeOpenAiServer fake = null;
    if (baseUrl == null || apiKey == null) {
      fake = FakeOpenAiServer.start();
      baseUrl = fake.baseUrl();
      apiKey = "sk-demo-not-a-real-key";
      System.out.println("Using the built-in OpenAI-compatible fake at " + baseUrl
          + " (set OPENAI_BASE_URL and OPENAI_API_KEY to use a real endpoint).");
    }
    OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(baseUrl).apiKey(apiKey).build();
    try {
      for (String question : QUESTIONS) {
        ChatCompletion completion = client.chat().completions().create(
            ChatCompletionCreateParams.builder()
                .model(model)
                .addSystemMessage("You are a concise assistant. Answer in one sentence.")
                .addUserMessage(question)
                .build());
        System.out.println("Q: " + question);
        System.out.println("A: " + completion.choices().get(0).message().content().orElse(""));
      }
    } finally {
      client.close();
      if (fake != null) {
        fake.stop();
      }
    }
  }
}
