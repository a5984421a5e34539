package org.mlflow.agent.it.googlegenai;

import org.mlflow.agent.it.support.TestSecrets;
import com.google.genai.Client;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.HttpOptions;
import java.lang.reflect.Method;

/** What the Gemini test apps share: the models the fake serves and a client pointed at it. */
public final class GeminiApps {

  /** Never to be seen in a trace or a log line. */
  public static final String API_KEY = TestSecrets.GEMINI_API_KEY;
  public static final String MODEL = "gemini-2.0-flash";
  public static final String TOOL_MODEL = "gemini-tools";
  public static final String EMBEDDING_MODEL = "text-embedding-004";
  public static final String REJECTED_MODEL = "rejected-model";
  public static final String THROTTLED_MODEL = "throttled-model";

  private GeminiApps() {}

  /** A Gemini Developer API client (API key mode) whose base URL is the fake's. */
  public static Client client(String baseUrl) throws Exception {
    HttpOptions.Builder http = HttpOptions.builder().baseUrl(baseUrl);
    noRetries(http);
    return Client.builder().apiKey(API_KEY).httpOptions(http.build()).build();
  }

  /**
   * SDK versions with retries (1.1x and later) retry a 429 five times with back-off: one attempt
   * keeps the throttled call quick. Set reflectively so the app compiles against every version.
   */
  private static void noRetries(HttpOptions.Builder http) throws Exception {
    Class<?> retryOptions;
    try {
      retryOptions = Class.forName("com.google.genai.types.HttpRetryOptions");
    } catch (ClassNotFoundException noRetriesInThisVersion) {
      return;
    }
    Class<?> builderType = Class.forName("com.google.genai.types.HttpRetryOptions$Builder");
    Object builder = retryOptions.getMethod("builder").invoke(null);
    builderType.getMethod("attempts", Integer.class).invoke(builder, 1);
    Object options = builderType.getMethod("build").invoke(builder);
    Method set = HttpOptions.Builder.class.getMethod("retryOptions", retryOptions);
    set.invoke(http, options);
  }

  static String describe(GenerateContentResponse response) {
    return response.text() + " (" + response.usageMetadata()
        .flatMap(usage -> usage.totalTokenCount()).orElse(0) + " tokens)";
  }

  static String describe(Throwable failure) {
    Throwable cause = failure instanceof java.util.concurrent.CompletionException
        && failure.getCause() != null ? failure.getCause() : failure;
    return "error: " + cause.getClass().getName() + ": " + cause.getMessage();
  }
}
