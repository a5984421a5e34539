package org.mlflow.agent.it.servlet;

import com.acme.assistant.Assistant;
import com.openai.client.OpenAIClient;

/**
 * An app that calls its own {@link Assistant}, which calls OpenAI; no tracing code.
 *
 * <p>Arguments: the OpenAI base URL.
 */
public final class AssistantApp {

  private AssistantApp() {}

  public static void main(String[] args) {
    OpenAIClient client = Clients.openAi(args[0]);
    Assistant assistant = new Assistant(client);
    Assistant.Reply reply = assistant.answer("What is MLflow?", 1);
    System.out.println("answer: " + reply.text() + " (" + reply.tokens() + " tokens)");
    try {
      assistant.refuse("Tell me a secret");
    } catch (IllegalStateException refused) {
      System.out.println("error: " + refused);
    }
    System.out.println("model: " + assistant.getModel());
    client.close();
  }
}
