package org.mlflow.agent.integration.openai;

import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
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

  /** Each params class's {@code _body()}, looked up once rather than on every span. */
  private static final ClassValue<Method> BODY = new ClassValue<>() {
    @Override
    protected Method computeValue(Class<?> paramsClass) {
      try {
        return paramsClass.getMethod("_body");
      } catch (NoSuchMethodException notParams) {
        return null;
      }
    }
  };

  /** Each service class's {@code clientOptions} field, made accessible once. */
  private static final ClassValue<Field> CLIENT_OPTIONS = new ClassValue<>() {
    @Override
    protected Field computeValue(Class<?> serviceClass) {
      try {
        Field field = serviceClass.getDeclaredField("clientOptions");
        field.setAccessible(true);
        return field;
      } catch (NoSuchFieldException notAService) {
        return null;
      }
    }
  };

  /**
   * The provider of the client options last read: an app has one client, or a few, and deciding
   * it anew (reflection, parsing the base URL) took a tenth of a chat span's rendering. Weak, so
   * a client the app dropped (and its class loader) can be collected.
   */
  private static volatile ProviderOf lastProvider = new ProviderOf(null, null);

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
    Method body = BODY.get(params.getClass());
    if (body == null) {
      throw new NoSuchMethodException(params.getClass().getName() + "._body()");
    }
    return withStream(sdkJson.toJdkValue(body.invoke(params)), streamed);
  }

  private static Object withStream(Object body, boolean streamed) {
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
    Field optionsField = CLIENT_OPTIONS.get(service.getClass());
    if (optionsField == null) {
      throw new NoSuchFieldException(service.getClass().getName() + ".clientOptions");
    }
    Object options = optionsField.get(service);
    ProviderOf last = lastProvider;
    if (last.options.get() == options) {
      return last.provider;
    }
    String provider = providerOf(options);
    lastProvider = new ProviderOf(options, provider);
    return provider;
  }

  private static String providerOf(Object options) throws ReflectiveOperationException {
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

  private static final class ProviderOf {
    final WeakReference<Object> options;
    final String provider;

    ProviderOf(Object options, String provider) {
      this.options = new WeakReference<>(options);
      this.provider = provider;
    }
  }
}
