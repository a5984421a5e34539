package org.mlflow.agent.integration.langchain4j;

import static org.mlflow.agent.integration.langchain4j.Accessors.enumName;
import static org.mlflow.agent.integration.langchain4j.Accessors.get;
import static org.mlflow.agent.integration.langchain4j.Accessors.list;
import static org.mlflow.agent.integration.langchain4j.Accessors.string;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.integration.ContentRenderer;
import org.mlflow.agent.integration.SpanContent;
import org.mlflow.agent.integration.TokenUsage;

/**
 * A LangChain4j chat call as MLflow's chat view reads it: the span is named after the model class
 * ({@code OpenAiChatModel}, as MLflow's LangChain autolog names a span after the chat model
 * class); inputs are an OpenAI-style chat request ({@code model}, {@code messages}, {@code tools})
 * and outputs an OpenAI-style {@code chat.completion}, with {@code mlflow.message.format =
 * openai}. Model, provider and token usage come from the {@code ChatResponse}, the model's
 * defaults filling in a model name the request leaves out. A streamed call records each partial
 * response text as a chunk.
 */
final class ChatRenderer implements ContentRenderer {

  private final boolean streamed;

  ChatRenderer(boolean streamed) {
    this.streamed = streamed;
  }

  @Override
  public void render(Span span, SpanContent content) throws Exception {
    Object[] call = (Object[]) span.request();
    Object request = call[0];
    Object model = call[1];
    content.spanName(model.getClass().getSimpleName()).messageFormat("openai")
        .provider(provider(model));
    String modelName = string(request, "modelName");
    if (modelName == null) {
      modelName = string(defaultParameters(model), "modelName");
    }
    content.model(modelName);
    List<Object> tools = ToolSpecifications.of(list(request, "toolSpecifications"));
    content.tools(tools);
    content.inputs(inputs(request, modelName, tools));
    if (streamed) {
      for (int i = 0; i < span.chunkCount(); i++) {
        content.chunk(chunkText(span.chunk(i)));
      }
    }
    Object response = span.response();
    if (response == null) {
      return;
    }
    String servedModel = string(response, "modelName");
    if (servedModel != null) {
      content.model(servedModel);
    }
    content.outputs(completion(response, servedModel != null ? servedModel : modelName));
    content.tokenUsage(tokenUsage(get(response, "tokenUsage")));
  }

  private static Object defaultParameters(Object model) {
    try {
      return get(model, "defaultRequestParameters");
    } catch (ReflectiveOperationException | RuntimeException none) {
      return null; // some models build them lazily or do not support them
    }
  }

  /** {@code OPEN_AI} as MLflow names the provider ({@code openai}); others in lower case. */
  private static String provider(Object model) {
    String name;
    try {
      name = enumName(get(model, "provider"));
    } catch (ReflectiveOperationException | RuntimeException none) {
      return null;
    }
    if (name == null || name.equals("OTHER")) {
      return null;
    }
    switch (name) {
      case "OPEN_AI":
        return "openai";
      case "AZURE_OPEN_AI":
        return "azure";
      case "GOOGLE_AI_GEMINI":
      case "GOOGLE_VERTEX_AI_GEMINI":
        return "gemini";
      case "AMAZON_BEDROCK":
        return "bedrock";
      default:
        return name.toLowerCase(Locale.ROOT).replace("_", "");
    }
  }

  private static Map<String, Object> inputs(Object request, String modelName, List<Object> tools)
      throws ReflectiveOperationException {
    Map<String, Object> inputs = new LinkedHashMap<>();
    if (modelName != null) {
      inputs.put("model", modelName);
    }
    inputs.put("messages", OpenAiStyleMessages.of(list(request, "messages")));
    putIfPresent(inputs, "temperature", get(request, "temperature"));
    putIfPresent(inputs, "max_tokens", get(request, "maxOutputTokens"));
    if (tools != null) {
      inputs.put("tools", tools);
    }
    return inputs;
  }

  private static Map<String, Object> completion(Object response, String modelName)
      throws ReflectiveOperationException {
    Map<String, Object> choice = new LinkedHashMap<>();
    choice.put("index", 0);
    choice.put("message", OpenAiStyleMessages.assistant(get(response, "aiMessage")));
    choice.put("finish_reason", finishReason(enumName(get(response, "finishReason"))));
    Map<String, Object> completion = new LinkedHashMap<>();
    putIfPresent(completion, "id", string(response, "id"));
    completion.put("object", "chat.completion");
    putIfPresent(completion, "model", modelName);
    List<Object> choices = new ArrayList<>();
    choices.add(choice);
    completion.put("choices", choices);
    Object usage = get(response, "tokenUsage");
    if (usage != null) {
      Map<String, Object> openAiUsage = new LinkedHashMap<>();
      openAiUsage.put("prompt_tokens", get(usage, "inputTokenCount"));
      openAiUsage.put("completion_tokens", get(usage, "outputTokenCount"));
      openAiUsage.put("total_tokens", get(usage, "totalTokenCount"));
      completion.put("usage", openAiUsage);
    }
    return completion;
  }

  private static String finishReason(String reason) {
    if (reason == null) {
      return null;
    }
    switch (reason) {
      case "STOP":
        return "stop";
      case "LENGTH":
        return "length";
      case "TOOL_EXECUTION":
        return "tool_calls";
      case "CONTENT_FILTER":
        return "content_filter";
      default:
        return reason.toLowerCase(Locale.ROOT);
    }
  }

  static TokenUsage tokenUsage(Object usage) throws ReflectiveOperationException {
    if (usage == null) {
      return null;
    }
    Object input = get(usage, "inputTokenCount");
    Object output = get(usage, "outputTokenCount");
    Object total = get(usage, "totalTokenCount");
    if (input == null && output == null && total == null) {
      return null;
    }
    return TokenUsage.of(count(input), count(output),
        total instanceof Number ? ((Number) total).longValue() : null);
  }

  private static long count(Object value) {
    return value instanceof Number ? ((Number) value).longValue() : 0;
  }

  /** A partial response: its text ({@code String}, or a {@code PartialResponse}'s text). */
  private static Object chunkText(Object chunk) throws ReflectiveOperationException {
    return chunk instanceof String ? chunk : string(chunk, "text");
  }

  private static void putIfPresent(Map<String, Object> map, String key, Object value) {
    if (value != null) {
      map.put(key, value);
    }
  }
}
