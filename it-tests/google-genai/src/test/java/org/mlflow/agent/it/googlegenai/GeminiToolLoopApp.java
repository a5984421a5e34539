package org.mlflow.agent.it.googlegenai;

import com.google.genai.Client;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.Tool;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Automatic function calling: the SDK calls the model, runs the Java method the model asks for and
 * calls the model again with its result. Argument: the fake's base URL.
 */
public final class GeminiToolLoopApp {

  private static final AtomicInteger TOOL_CALLS = new AtomicInteger();

  private GeminiToolLoopApp() {}

  /** The tool the model may call. */
  public static String weather(String city) {
    TOOL_CALLS.incrementAndGet();
    return "sunny in " + city;
  }

  /** A config offering {@link #weather} for the SDK to call by itself. */
  static GenerateContentConfig weatherTool() throws NoSuchMethodException {
    return GenerateContentConfig.builder()
        .tools(List.of(Tool.builder()
            .functions(List.of(GeminiToolLoopApp.class.getMethod("weather", String.class)))
            .build()))
        .build();
  }

  static int toolCalls() {
    return TOOL_CALLS.get();
  }

  public static void main(String[] args) throws Exception {
    try (Client client = GeminiApps.client(args[0])) {
      GenerateContentResponse response = client.models.generateContent(GeminiApps.TOOL_MODEL,
          "What is the weather in Paris?", weatherTool());
      System.out.println("answer: " + GeminiApps.describe(response));
      System.out.println("tool calls: " + toolCalls());
    }
  }
}
