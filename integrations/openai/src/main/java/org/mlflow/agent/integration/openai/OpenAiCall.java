package org.mlflow.agent.integration.openai;

import java.lang.reflect.Field;
import java.util.LinkedHashMap;
import java.util.Map;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.integration.LibraryJson;

/**
 * One SDK call as its advice captured it: the call's params and the service it was made on.
 *
 * <p>Only the request body and where the client points are read. Headers, query parameters and
 * the credentials live elsewhere (the params' headers, the client options' credential) and are
 * never touched.
 */
final class OpenAiCall {

  private final Object params;
  private final Object service;

  private OpenAiCall(Object params, Object service) {
    this.params = params;
    this.service = service;
  }

  /** The {@code {params, service}} pair an OpenAI advice passed to {@code Tracing.start}. */
  static OpenAiCall of(Span span) {
    Object[] captured = (Object[]) span.request();
    return new OpenAiCall(captured[0], captured[1]);
  }

  /**
   * The request body as the SDK sends it: the params' body, with {@code "stream": true} for a
   * streaming call (the SDK adds it as it sends).
   */
  Object requestBody(LibraryJson sdkJson, boolean streamed) throws ReflectiveOperationException {
    if (params == null) {
      return null;
    }
    Object body = sdkJson.toJdkValue(params.getClass().getMethod("_body").invoke(params));
    if (!streamed || !(body instanceof Map)) {
      return body;
    }
    Map<Object, Object> streaming = new LinkedHashMap<>((Map<?, ?>) body);
    streaming.put("stream", true);
    return streaming;
  }

  /**
   * {@code azure} when the client talks to Azure OpenAI, {@code openai} otherwise, decided as the
   * SDK decides it: {@code AzureUrlCategory.categorizeBaseUrl(baseUrl, azureUrlPathMode)}, which
   * looks at the base URL's host ({@code *.openai.azure.com} and the like) and the path mode the
   * client was built with.
   */
  String provider() throws ReflectiveOperationException {
    Field optionsField = service.getClass().getDeclaredField("clientOptions");
    optionsField.setAccessible(true);
    Object options = optionsField.get(service);
    ClassLoader sdk = options.getClass().getClassLoader();
    Class<?> pathMode = Class.forName("com.openai.azure.AzureUrlPathMode", false, sdk);
    Class<?> category = Class.forName("com.openai.azure.AzureUrlCategory", false, sdk);
    Object categories = category.getField("Companion").get(null);
    Object baseUrl = options.getClass().getMethod("baseUrl").invoke(options);
    Object mode = options.getClass().getMethod("azureUrlPathMode").invoke(options);
    Object found = categories.getClass().getMethod("categorizeBaseUrl", String.class, pathMode)
        .invoke(categories, baseUrl, mode);
    boolean azure = (Boolean) category.getMethod("isAzure").invoke(found);
    return azure ? "azure" : "openai";
  }
}
