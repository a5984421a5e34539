package org.mlflow.agent.it.googlegenai;

import com.google.genai.Client;
import com.google.genai.ResponseStream;
import com.google.genai.types.GenerateContentResponse;
import java.util.concurrent.CompletionException;

/**
 * The async forms, each awaited before the next: generateContent, a stream, an embedding, a call
 * whose tool loop the SDK runs, and a call the API refuses. Argument: the fake's base URL.
 */
public final class GeminiAsyncApp {

  private GeminiAsyncApp() {}

  public static void main(String[] args) throws Exception {
    try (Client client = GeminiApps.client(args[0])) {
      System.out.println("answer: " + GeminiApps.describe(client.async.models
          .generateContent(GeminiApps.MODEL, "What is MLflow?", null).join()));
      try (ResponseStream<GenerateContentResponse> stream = client.async.models
          .generateContentStream(GeminiApps.MODEL, "Stream it, please.", null).join()) {
        for (GenerateContentResponse chunk : stream) {
          System.out.println("chunk: " + chunk.text());
        }
      }
      GeminiEmbedApp.print(client.async.models
          .embedContent(GeminiApps.EMBEDDING_MODEL, "One text.", null).join());
      System.out.println("answer: " + GeminiApps.describe(client.async.models.generateContent(
          GeminiApps.TOOL_MODEL, "What is the weather in Paris?", GeminiToolLoopApp.weatherTool())
          .join()));
      System.out.println("tool calls: " + GeminiToolLoopApp.toolCalls());
      try {
        client.async.models.generateContent(GeminiApps.REJECTED_MODEL, "This call fails.", null)
            .join();
      } catch (CompletionException failure) {
        System.out.println(GeminiApps.describe(failure));
      }
    }
  }
}
