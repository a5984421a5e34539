package org.mlflow.agent.it.servlet;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;

/** The apps' OpenAI client, pointed at the fake. */
final class Clients {

  /** Never to be seen in a trace or a log line. */
  static final String API_KEY = "sk-test-SECRET-0123456789abcdef";

  private Clients() {}

  static OpenAIClient openAi(String baseUrl) {
    return OpenAIOkHttpClient.builder().baseUrl(baseUrl).apiKey(API_KEY).maxRetries(0).build();
  }
}
