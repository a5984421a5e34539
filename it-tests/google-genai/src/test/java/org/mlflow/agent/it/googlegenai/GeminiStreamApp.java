package org.mlflow.agent.it.googlegenai;

import com.google.genai.Client;
import com.google.genai.ResponseStream;
import com.google.genai.types.GenerateContentResponse;
import java.util.Iterator;

/**
 * Streams: one read to its end, one closed after its first item, one the API refuses. Argument:
 * the fake's base URL.
 */
public final class GeminiStreamApp {

  private GeminiStreamApp() {}

  public static void main(String[] args) throws Exception {
    try (Client client = GeminiApps.client(args[0])) {
      try (ResponseStream<GenerateContentResponse> stream =
          client.models.generateContentStream(GeminiApps.MODEL, "What is MLflow?", null)) {
        for (GenerateContentResponse chunk : stream) {
          System.out.println("chunk: " + chunk.text());
        }
      }
      ResponseStream<GenerateContentResponse> early =
          client.models.generateContentStream(GeminiApps.MODEL, "Just the start, please.", null);
      Iterator<GenerateContentResponse> items = early.iterator();
      System.out.println("first chunk: " + items.next().text());
      early.close();
      try {
        client.models.generateContentStream(GeminiApps.REJECTED_MODEL, "This call fails.", null);
      } catch (RuntimeException failure) {
        System.out.println(GeminiApps.describe(failure));
      }
    }
  }
}
