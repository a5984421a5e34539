package org.mlflow.agent.it.googlegenai;

import com.google.genai.Client;
import com.google.genai.types.EmbedContentConfig;
import com.google.genai.types.EmbedContentResponse;
import java.util.List;

/** Embeddings of a list of texts and of one text. Argument: the fake's base URL. */
public final class GeminiEmbedApp {

  private GeminiEmbedApp() {}

  public static void main(String[] args) throws Exception {
    try (Client client = GeminiApps.client(args[0])) {
      print(client.models.embedContent(GeminiApps.EMBEDDING_MODEL,
          List.of("MLflow tracing", "Java agents"),
          EmbedContentConfig.builder().outputDimensionality(4).build()));
      print(client.models.embedContent(GeminiApps.EMBEDDING_MODEL, "One text.", null));
    }
  }

  static void print(EmbedContentResponse response) {
    response.embeddings().orElseThrow().forEach(embedding ->
        System.out.println("embedding: " + embedding.values().orElseThrow()));
  }
}
