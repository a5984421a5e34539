package org.mlflow.agent.integration.openai;

import static org.mlflow.agent.integration.JdkValues.number;
import static org.mlflow.agent.integration.JdkValues.path;
import static org.mlflow.agent.integration.JdkValues.string;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reassembles the {@code chat.completion.chunk} items of a stream into the one {@code
 * chat.completion} the same request would have returned unstreamed: per choice, the content and
 * refusal deltas concatenated and the tool call deltas merged by their index; the last finish
 * reason; the usage of the last chunk that has one (sent when the request asked for it with
 * {@code stream_options.include_usage}).
 */
final class ChatCompletionChunks {

  private static final List<String> COMPLETION_FIELDS =
      List.of("id", "created", "model", "service_tier", "system_fingerprint");

  private ChatCompletionChunks() {}

  /** Null for a stream that produced no chunk. */
  static Map<String, Object> reassemble(List<Object> chunks) {
    if (chunks.isEmpty()) {
      return null;
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    Map<Long, Choice> choices = new TreeMap<>();
    Object usage = null;
    for (Object chunk : chunks) {
      for (String field : COMPLETION_FIELDS) {
        Object value = path(chunk, field);
        if (value != null) {
          fields.putIfAbsent(field, value);
        }
      }
      Object chunkUsage = path(chunk, "usage");
      if (chunkUsage != null) {
        usage = chunkUsage;
      }
      Object chunkChoices = path(chunk, "choices");
      if (chunkChoices instanceof List) {
        for (Object delta : (List<?>) chunkChoices) {
          Long index = number(delta, "index");
          choices.computeIfAbsent(index == null ? 0L : index, Choice::new).add(delta);
        }
      }
    }
    Map<String, Object> completion = new LinkedHashMap<>();
    completion.put("id", fields.get("id"));
    completion.put("object", "chat.completion");
    completion.put("created", fields.get("created"));
    completion.put("model", fields.get("model"));
    List<Object> assembled = new ArrayList<>();
    choices.values().forEach(choice -> assembled.add(choice.toJson()));
    completion.put("choices", assembled);
    if (usage != null) {
      completion.put("usage", usage);
    }
    for (String optional : List.of("service_tier", "system_fingerprint")) {
      if (fields.containsKey(optional)) {
        completion.put(optional, fields.get(optional));
      }
    }
    return completion;
  }

  /** One choice, built up from its deltas. */
  private static final class Choice {
    private final long index;
    private String role;
    private StringBuilder content;
    private StringBuilder refusal;
    private final Map<Long, ToolCall> toolCalls = new TreeMap<>();
    private Object finishReason;

    Choice(long index) {
      this.index = index;
    }

    void add(Object choiceDelta) {
      Object delta = path(choiceDelta, "delta");
      if (role == null) {
        role = string(delta, "role");
      }
      content = append(content, string(delta, "content"));
      refusal = append(refusal, string(delta, "refusal"));
      Object calls = path(delta, "tool_calls");
      if (calls instanceof List) {
        for (Object call : (List<?>) calls) {
          Long callIndex = number(call, "index");
          toolCalls.computeIfAbsent(callIndex == null ? 0L : callIndex, i -> new ToolCall())
              .add(call);
        }
      }
      Object reason = path(choiceDelta, "finish_reason");
      if (reason != null) {
        finishReason = reason;
      }
    }

    Map<String, Object> toJson() {
      Map<String, Object> message = new LinkedHashMap<>();
      message.put("role", role == null ? "assistant" : role);
      message.put("content", content == null ? null : content.toString());
      if (refusal != null) {
        message.put("refusal", refusal.toString());
      }
      if (!toolCalls.isEmpty()) {
        List<Object> calls = new ArrayList<>();
        toolCalls.values().forEach(call -> calls.add(call.toJson()));
        message.put("tool_calls", calls);
      }
      Map<String, Object> choice = new LinkedHashMap<>();
      choice.put("index", index);
      choice.put("message", message);
      choice.put("finish_reason", finishReason);
      return choice;
    }
  }

  /** One tool call: its id, type and name come once, its arguments in pieces. */
  private static final class ToolCall {
    private String id;
    private String type;
    private String name;
    private final StringBuilder arguments = new StringBuilder();

    void add(Object delta) {
      id = id != null ? id : string(delta, "id");
      type = type != null ? type : string(delta, "type");
      name = name != null ? name : string(delta, "function", "name");
      String part = string(delta, "function", "arguments");
      if (part != null) {
        arguments.append(part);
      }
    }

    Map<String, Object> toJson() {
      Map<String, Object> function = new LinkedHashMap<>();
      function.put("name", name);
      function.put("arguments", arguments.toString());
      Map<String, Object> call = new LinkedHashMap<>();
      call.put("id", id);
      call.put("type", type == null ? "function" : type);
      call.put("function", function);
      return call;
    }
  }

  private static StringBuilder append(StringBuilder text, String part) {
    if (part == null) {
      return text;
    }
    return (text == null ? new StringBuilder() : text).append(part);
  }
}
