package org.mlflow.agent.it.googlegenai;

import com.google.genai.Chat;
import com.google.genai.Client;
import com.google.genai.types.Content;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.Part;
import java.util.function.Supplier;

/**
 * A plain Gemini app with no tracing code: generateContent with a text, with a Content, through a
 * chat, and two calls the API refuses (400, 429). Its output must be the same with and without
 * the agent. Argument: the fake's base URL.
 */
public final class GeminiChatApp {

  private GeminiChatApp() {}

  public static void main(String[] args) throws Exception {
    try (Client client = GeminiApps.client(args[0])) {
      GenerateContentConfig config = GenerateContentConfig.builder().temperature(0.0f).build();
      ask(() -> client.models.generateContent(GeminiApps.MODEL, "What is MLflow?", config)
          .text());
      ask(() -> GeminiApps.describe(client.models.generateContent(GeminiApps.MODEL,
          Content.fromParts(Part.fromText("And what is tracing?")), null)));
      Chat chat = client.chats.create(GeminiApps.MODEL);
      ask(() -> GeminiApps.describe(chat.sendMessage("Hello from a chat.")));
      ask(() -> client.models.generateContent(GeminiApps.REJECTED_MODEL, "This call fails.",
          null).text());
      ask(() -> client.models.generateContent(GeminiApps.THROTTLED_MODEL, "Too many calls.",
          null).text());
    }
  }

  private static void ask(Supplier<String> call) {
    try {
      System.out.println("answer: " + call.get());
    } catch (RuntimeException failure) {
      System.out.println(GeminiApps.describe(failure));
    }
  }
}
