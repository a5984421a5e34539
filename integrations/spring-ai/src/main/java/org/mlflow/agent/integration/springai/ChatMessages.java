package org.mlflow.agent.integration.springai;

import static org.mlflow.agent.integration.springai.SpringAiObjects.call;
import static org.mlflow.agent.integration.springai.SpringAiObjects.string;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mlflow.agent.integration.ChatTools;
import org.mlflow.agent.integration.TokenUsage;

/**
 * Spring AI's chat objects in OpenAI's chat shape, which MLflow's chat view reads: a {@code
 * Prompt} as {@code {"messages": [...]}}, a {@code ChatResponse} as a {@code chat.completion}, a
 * streamed {@code ChatResponse} as a {@code chat.completion.chunk}, the prompt's tool callbacks as
 * OpenAI tool definitions. Spring AI's own objects have no JSON form of their own that a reader
 * would recognise.
 */
final class ChatMessages {

  /** The prompt as a chat request: its messages and, when known, the model asked for. */
  Map<String, Object> request(Object prompt, Object model) throws ReflectiveOperationException {
    Map<String, Object> request = new LinkedHashMap<>();
    String modelName = requestedModel(prompt, model);
    if (modelName != null) {
      request.put("model", modelName);
    }
    List<Object> messages = new ArrayList<>();
    Object instructions = call(prompt, "getInstructions");
    if (instructions instanceof List) {
      for (Object message : (List<?>) instructions) {
        addMessage(messages, message);
      }
    }
    request.put("messages", messages);
    return request;
  }

  /** The model the prompt's options (or the model's defaults) ask for. */
  String requestedModel(Object prompt, Object model) throws ReflectiveOperationException {
    String fromPrompt = string(call(prompt, "getOptions"), "getModel");
    return fromPrompt != null ? fromPrompt : string(call(model, "getDefaultOptions"), "getModel");
  }

  /**
   * The tool callbacks of the prompt's options (else the model's default options), as OpenAI-style
   * definitions; null when there are none.
   */
  List<Object> tools(Object prompt, Object model) throws ReflectiveOperationException {
    List<Object> tools = toolsOf(call(prompt, "getOptions"));
    return tools != null ? tools : toolsOf(call(model, "getDefaultOptions"));
  }

  private static List<Object> toolsOf(Object options) throws ReflectiveOperationException {
    Object callbacks = call(options, "getToolCallbacks");
    if (!(callbacks instanceof List) || ((List<?>) callbacks).isEmpty()) {
      return null;
    }
    List<Object> tools = new ArrayList<>();
    for (Object callback : (List<?>) callbacks) {
      Object definition = call(callback, "getToolDefinition");
      tools.add(ChatTools.function(string(definition, "name"), string(definition, "description"),
          SpringAiObjects.json(string(definition, "inputSchema"), callback)));
    }
    return tools;
  }

  private void addMessage(List<Object> messages, Object message)
      throws ReflectiveOperationException {
    String role = string(call(message, "getMessageType"), "getValue");
    if ("tool".equals(role)) {
      Object responses = call(message, "getResponses");
      if (responses instanceof List) {
        for (Object response : (List<?>) responses) {
          Map<String, Object> tool = new LinkedHashMap<>();
          tool.put("role", "tool");
          tool.put("tool_call_id", string(response, "id"));
          tool.put("name", string(response, "name"));
          tool.put("content", string(response, "responseData"));
          messages.add(tool);
        }
      }
      return;
    }
    if ("assistant".equals(role)) {
      messages.add(assistantMessage(message));
      return;
    }
    Map<String, Object> plain = new LinkedHashMap<>();
    plain.put("role", role);
    plain.put("content", string(message, "getText"));
    messages.add(plain);
  }

  /** {@code {"role":"assistant","content":...,"tool_calls":[...]}} */
  Map<String, Object> assistantMessage(Object message) throws ReflectiveOperationException {
    Map<String, Object> assistant = new LinkedHashMap<>();
    assistant.put("role", "assistant");
    assistant.put("content", string(message, "getText"));
    List<Object> toolCalls = toolCalls(message);
    if (!toolCalls.isEmpty()) {
      assistant.put("tool_calls", toolCalls);
    }
    return assistant;
  }

  private static List<Object> toolCalls(Object message) throws ReflectiveOperationException {
    List<Object> calls = new ArrayList<>();
    Object toolCalls = call(message, "getToolCalls");
    if (toolCalls instanceof List) {
      for (Object toolCall : (List<?>) toolCalls) {
        Map<String, Object> function = new LinkedHashMap<>();
        function.put("name", string(toolCall, "name"));
        function.put("arguments", string(toolCall, "arguments"));
        Map<String, Object> openAiCall = new LinkedHashMap<>();
        openAiCall.put("id", string(toolCall, "id"));
        openAiCall.put("type", "function");
        openAiCall.put("function", function);
        calls.add(openAiCall);
      }
    }
    return calls;
  }

  /**
   * A {@code ChatResponse} as a {@code chat.completion} ({@code chunk}: as a {@code
   * chat.completion.chunk}, its message a {@code delta}).
   */
  Map<String, Object> completion(Object chatResponse, boolean chunk)
      throws ReflectiveOperationException {
    Object metadata = call(chatResponse, "getMetadata");
    Map<String, Object> completion = new LinkedHashMap<>();
    putIfPresent(completion, "id", emptyToNull(string(metadata, "getId")));
    completion.put("object", chunk ? "chat.completion.chunk" : "chat.completion");
    putIfPresent(completion, "model", emptyToNull(string(metadata, "getModel")));
    List<Object> choices = new ArrayList<>();
    Object generations = call(chatResponse, "getResults");
    if (generations instanceof List) {
      int index = 0;
      for (Object generation : (List<?>) generations) {
        Map<String, Object> choice = new LinkedHashMap<>();
        choice.put("index", index++);
        choice.put(chunk ? "delta" : "message", assistantMessage(call(generation, "getOutput")));
        choice.put("finish_reason", finishReason(generation));
        choices.add(choice);
      }
    }
    completion.put("choices", choices);
    TokenUsage usage = usage(chatResponse);
    if (usage != null) {
      Map<String, Object> tokens = new LinkedHashMap<>();
      tokens.put("prompt_tokens", usage.inputTokens());
      tokens.put("completion_tokens", usage.outputTokens());
      tokens.put("total_tokens", usage.totalTokens());
      completion.put("usage", tokens);
    }
    return completion;
  }

  private static String finishReason(Object generation) throws ReflectiveOperationException {
    String reason = emptyToNull(string(call(generation, "getMetadata"), "getFinishReason"));
    // "_UNKNOWN" is openai-java's name for a finish reason the chunk did not have (Spring AI 2.0).
    return reason == null || reason.startsWith("_") ? null : reason.toLowerCase(Locale.ROOT);
  }

  /** The model that answered, from the response's metadata. */
  String servedModel(Object chatResponse) throws ReflectiveOperationException {
    return emptyToNull(string(call(chatResponse, "getMetadata"), "getModel"));
  }

  /**
   * The usage in the response's metadata; null when the provider reported none (Spring AI then
   * fills in an {@code EmptyUsage}, or for a streamed chunk without usage, zeros).
   */
  TokenUsage usage(Object chatResponse) throws ReflectiveOperationException {
    Object usage = call(call(chatResponse, "getMetadata"), "getUsage");
    if (usage == null || usage.getClass().getSimpleName().equals("EmptyUsage")) {
      return null;
    }
    Object input = call(usage, "getPromptTokens");
    Object output = call(usage, "getCompletionTokens");
    if (!(input instanceof Number) && !(output instanceof Number)) {
      return null;
    }
    Object total = call(usage, "getTotalTokens");
    if (count(input) == 0 && count(output) == 0 && count(total) == 0) {
      return null;
    }
    TokenUsage tokens = TokenUsage.of(count(input), count(output),
        total instanceof Number ? ((Number) total).longValue() : null);
    Object cacheRead = call(usage, "getCacheReadInputTokens");
    Object cacheWrite = call(usage, "getCacheWriteInputTokens");
    if (cacheRead instanceof Number || cacheWrite instanceof Number) {
      tokens = tokens.withCacheTokens(
          cacheRead instanceof Number ? ((Number) cacheRead).longValue() : null,
          cacheWrite instanceof Number ? ((Number) cacheWrite).longValue() : null);
    }
    return tokens;
  }

  /**
   * The completion a stream of {@code chat.completion.chunk}s adds up to: the text joined, the
   * tool calls gathered, and the last id, model, finish reason and usage any chunk gave.
   */
  Map<String, Object> assembled(List<Map<String, Object>> chunks) {
    Map<String, Object> completion = new LinkedHashMap<>();
    StringBuilder text = new StringBuilder();
    boolean anyText = false;
    List<Object> toolCalls = new ArrayList<>();
    Object finishReason = null;
    Object usage = null;
    for (Map<String, Object> chunk : chunks) {
      if (chunk.get("id") != null) {
        completion.put("id", chunk.get("id"));
      }
      if (chunk.get("model") != null) {
        completion.put("model", chunk.get("model"));
      }
      if (chunk.get("usage") != null) {
        usage = chunk.get("usage");
      }
      for (Object choice : (List<?>) chunk.get("choices")) {
        Map<?, ?> delta = (Map<?, ?>) ((Map<?, ?>) choice).get("delta");
        if (delta.get("content") instanceof String) {
          text.append((String) delta.get("content"));
          anyText = true;
        }
        if (delta.get("tool_calls") instanceof List) {
          toolCalls.addAll((List<?>) delta.get("tool_calls"));
        }
        Object reason = ((Map<?, ?>) choice).get("finish_reason");
        if (reason != null) {
          finishReason = reason;
        }
      }
    }
    completion.put("object", "chat.completion");
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("role", "assistant");
    message.put("content", anyText ? text.toString() : null);
    if (!toolCalls.isEmpty()) {
      message.put("tool_calls", toolCalls);
    }
    Map<String, Object> choice = new LinkedHashMap<>();
    choice.put("index", 0);
    choice.put("message", message);
    choice.put("finish_reason", finishReason);
    completion.put("choices", List.of(choice));
    putIfPresent(completion, "usage", usage);
    return completion;
  }

  private static long count(Object value) {
    return value instanceof Number ? ((Number) value).longValue() : 0;
  }

  private static String emptyToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }

  private static void putIfPresent(Map<String, Object> map, String key, Object value) {
    if (value != null) {
      map.put(key, value);
    }
  }
}
