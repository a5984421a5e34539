package org.mlflow.agent.integration.bedrock;

import static org.mlflow.agent.integration.JdkValues.path;
import static org.mlflow.agent.integration.JdkValues.string;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Adds up the events of a ConverseStream into the Converse response they stand for: the message
 * with its content blocks in index order (text deltas joined, tool input joined and read as JSON,
 * reasoning text joined), then the stop reason and the metadata (usage, metrics) as they came.
 */
final class ConverseStreamAssembly {

  private final ClassLoader sdkLoader;
  private String role = "assistant";
  private final Map<Integer, Block> blocks = new TreeMap<>();
  private final Map<String, Object> trailer = new LinkedHashMap<>();

  /** @param sdkLoader where the SDK's JSON parser is found, for tool inputs */
  ConverseStreamAssembly(ClassLoader sdkLoader) {
    this.sdkLoader = sdkLoader;
  }

  /** One event: its type ({@code contentBlockDelta}) and its members as JDK values. */
  void add(String type, Object event) {
    if (type == null || !(event instanceof Map)) {
      return;
    }
    Map<?, ?> members = (Map<?, ?>) event;
    switch (type) {
      case "messageStart":
        role = members.get("role") instanceof String ? (String) members.get("role") : role;
        break;
      case "contentBlockStart":
        block(members).start(path(members, "start", "toolUse"));
        break;
      case "contentBlockDelta":
        block(members).add(path(members, "delta"));
        break;
      case "messageStop":
      case "metadata":
        members.forEach((key, value) -> trailer.put(String.valueOf(key), value));
        break;
      default:
        break; // contentBlockStop, and events newer than this code: nothing to add
    }
  }

  /** The response so far, in the shape of a Converse response. */
  Map<String, Object> response() throws ReflectiveOperationException {
    List<Object> content = new ArrayList<>();
    for (Block block : blocks.values()) {
      content.add(block.toContentBlock(sdkLoader));
    }
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("role", role);
    message.put("content", content);
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("output", Map.of("message", message));
    response.putAll(trailer);
    return response;
  }

  private Block block(Map<?, ?> event) {
    Object index = event.get("contentBlockIndex");
    int key = index instanceof Number ? ((Number) index).intValue() : 0;
    return blocks.computeIfAbsent(key, unused -> new Block());
  }

  /** One content block being streamed: text, a tool use, or reasoning. */
  private static final class Block {
    private final StringBuilder text = new StringBuilder();
    private Map<String, Object> toolUse;
    private StringBuilder reasoningText;
    private String reasoningSignature;

    void start(Object toolUseStart) {
      if (toolUseStart instanceof Map) {
        toolUse = new LinkedHashMap<>();
        ((Map<?, ?>) toolUseStart).forEach((key, value) -> toolUse.put(String.valueOf(key), value));
        toolUse.put("input", new StringBuilder());
      }
    }

    void add(Object delta) {
      String textDelta = string(delta, "text");
      if (textDelta != null) {
        text.append(textDelta);
      }
      String toolInput = string(delta, "toolUse", "input");
      if (toolInput != null) {
        if (toolUse == null) {
          start(Map.of());
        }
        ((StringBuilder) toolUse.get("input")).append(toolInput);
      }
      String reasoning = string(delta, "reasoningContent", "text");
      if (reasoning != null) {
        reasoningText = reasoningText == null ? new StringBuilder() : reasoningText;
        reasoningText.append(reasoning);
      }
      String signature = string(delta, "reasoningContent", "signature");
      if (signature != null) {
        reasoningSignature = signature;
      }
    }

    Map<String, Object> toContentBlock(ClassLoader sdkLoader) throws ReflectiveOperationException {
      Map<String, Object> block = new LinkedHashMap<>();
      if (toolUse != null) {
        Map<String, Object> use = new LinkedHashMap<>(toolUse);
        String input = use.get("input").toString();
        // A tool that takes no arguments may stream no input at all: Converse reports {}.
        Object json = input.isEmpty() ? new LinkedHashMap<String, Object>()
            : SdkJson.parse(input.getBytes(StandardCharsets.UTF_8), sdkLoader);
        use.put("input", json != null ? json : input);
        block.put("toolUse", use);
      } else if (reasoningText != null) {
        Map<String, Object> reasoning = new LinkedHashMap<>();
        reasoning.put("text", reasoningText.toString());
        if (reasoningSignature != null) {
          reasoning.put("signature", reasoningSignature);
        }
        block.put("reasoningContent", Map.of("reasoningText", reasoning));
      } else {
        block.put("text", text.toString());
      }
      return block;
    }
  }
}
