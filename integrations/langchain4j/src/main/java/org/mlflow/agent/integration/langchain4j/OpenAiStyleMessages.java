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

/**
 * LangChain4j chat messages as OpenAI chat messages, the shape MLflow's chat view reads
 * ({@code mlflow.message.format = openai}): LangChain4j's own JSON is not one MLflow renders.
 */
final class OpenAiStyleMessages {

  private OpenAiStyleMessages() {}

  static List<Object> of(List<?> messages) throws ReflectiveOperationException {
    List<Object> converted = new ArrayList<>();
    for (Object message : messages) {
      converted.add(of(message));
    }
    return converted;
  }

  static Map<String, Object> of(Object message) throws ReflectiveOperationException {
    String type = enumName(get(message, "type"));
    Map<String, Object> converted = new LinkedHashMap<>();
    if ("SYSTEM".equals(type)) {
      converted.put("role", "system");
      converted.put("content", string(message, "text"));
    } else if ("USER".equals(type)) {
      converted.put("role", "user");
      converted.put("content", userContent(message));
      putIfPresent(converted, "name", string(message, "name"));
    } else if ("AI".equals(type)) {
      return assistant(message);
    } else if ("TOOL_EXECUTION_RESULT".equals(type)) {
      converted.put("role", "tool");
      converted.put("tool_call_id", string(message, "id"));
      putIfPresent(converted, "name", string(message, "toolName"));
      converted.put("content", string(message, "text"));
    } else {
      converted.put("role", type == null ? "user" : type.toLowerCase(Locale.ROOT));
      converted.put("content", String.valueOf(message));
    }
    return converted;
  }

  /** An {@code AiMessage}: its text and the tool calls it asked for. */
  static Map<String, Object> assistant(Object aiMessage) throws ReflectiveOperationException {
    Map<String, Object> converted = new LinkedHashMap<>();
    converted.put("role", "assistant");
    converted.put("content", string(aiMessage, "text"));
    List<?> toolRequests = list(aiMessage, "toolExecutionRequests");
    if (!toolRequests.isEmpty()) {
      List<Object> toolCalls = new ArrayList<>();
      for (Object request : toolRequests) {
        Map<String, Object> function = new LinkedHashMap<>();
        function.put("name", string(request, "name"));
        function.put("arguments", string(request, "arguments"));
        Map<String, Object> call = new LinkedHashMap<>();
        call.put("id", string(request, "id"));
        call.put("type", "function");
        call.put("function", function);
        toolCalls.add(call);
      }
      converted.put("tool_calls", toolCalls);
    }
    return converted;
  }

  /** One text: a string, as most clients send it; several parts or non-text ones: a list. */
  private static Object userContent(Object userMessage) throws ReflectiveOperationException {
    List<?> contents = list(userMessage, "contents");
    if (contents.size() == 1 && "TEXT".equals(enumName(get(contents.get(0), "type")))) {
      return string(contents.get(0), "text");
    }
    List<Object> parts = new ArrayList<>();
    for (Object content : contents) {
      String type = enumName(get(content, "type"));
      Map<String, Object> part = new LinkedHashMap<>();
      if ("TEXT".equals(type)) {
        part.put("type", "text");
        part.put("text", string(content, "text"));
      } else if ("IMAGE".equals(type)) {
        Object url = get(get(content, "image"), "url");
        part.put("type", "image_url");
        part.put("image_url", Map.of("url", url == null ? "(inline image)" : url.toString()));
      } else {
        part.put("type", type == null ? "unknown" : type.toLowerCase(Locale.ROOT));
      }
      parts.add(part);
    }
    return parts;
  }

  private static void putIfPresent(Map<String, Object> map, String key, Object value) {
    if (value != null) {
      map.put(key, value);
    }
  }
}
