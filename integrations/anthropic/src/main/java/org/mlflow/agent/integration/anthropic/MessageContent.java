package org.mlflow.agent.integration.anthropic;

import static org.mlflow.agent.integration.JdkValues.number;
import static org.mlflow.agent.integration.JdkValues.path;
import static org.mlflow.agent.integration.JdkValues.string;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mlflow.agent.integration.ChatTools;
import org.mlflow.agent.integration.LibraryJson;
import org.mlflow.agent.integration.SpanContent;
import org.mlflow.agent.integration.TokenUsage;

/**
 * What every Messages span carries, as MLflow's Python Anthropic autolog records it: the request
 * body as inputs, the {@code Message} as outputs, the offered tools, the model and token usage.
 *
 * <p>Only the request body is read: headers and the client's API key live elsewhere (params
 * headers, {@code ClientOptions}) and are never touched.
 */
final class MessageContent {

  final LibraryJson sdkJson = new LibraryJson("com.anthropic.core.ObjectMappers", "jsonMapper");

  /** @return the request body as the SDK's JSON reads it */
  Object request(Object params, SpanContent content) throws ReflectiveOperationException {
    content.provider("anthropic").messageFormat("anthropic");
    Object request = sdkJson.toJdkValue(requestBody(params));
    content.inputs(request).model(string(request, "model"));
    List<Object> tools = chatTools(path(request, "tools"));
    if (tools != null) {
      content.tools(tools);
    }
    return request;
  }

  /** @param message a {@code Message} as plain values, received whole or reassembled */
  void message(Object message, SpanContent content) {
    content.outputs(message);
    String servedModel = string(message, "model");
    if (servedModel != null) {
      content.model(servedModel);
    }
    TokenUsage usage = tokenUsage(message);
    if (usage != null) {
      content.tokenUsage(usage);
    }
  }

  /**
   * Anthropic counts {@code input_tokens} without the tokens read from or written to its prompt
   * cache, and gives no total. MLflow's own autolog adds the cache counts back into the input (as
   * OpenAI and Gemini count it, and as MLflow prices it) and keeps them as separate keys too.
   */
  static TokenUsage tokenUsage(Object message) {
    Long input = number(message, "usage", "input_tokens");
    Long output = number(message, "usage", "output_tokens");
    if (input == null || output == null) {
      return null;
    }
    Long cacheRead = number(message, "usage", "cache_read_input_tokens");
    Long cacheCreation = number(message, "usage", "cache_creation_input_tokens");
    long allInput = input + (cacheRead != null ? cacheRead : 0)
        + (cacheCreation != null ? cacheCreation : 0);
    return TokenUsage.of(allInput, output, null).withCacheTokens(cacheRead, cacheCreation);
  }

  /** Anthropic's {@code {name, description, input_schema}} as OpenAI-style function tools. */
  private static List<Object> chatTools(Object tools) {
    if (!(tools instanceof List)) {
      return null;
    }
    List<Object> converted = new ArrayList<>();
    for (Object tool : (List<?>) tools) {
      if (tool instanceof Map && string(tool, "name") != null) {
        converted.add(ChatTools.function(
            string(tool, "name"), string(tool, "description"), path(tool, "input_schema")));
      }
    }
    return converted;
  }

  private static Object requestBody(Object params) throws ReflectiveOperationException {
    if (params == null) {
      return null;
    }
    Method body = params.getClass().getMethod("_body");
    return body.invoke(params);
  }
}
