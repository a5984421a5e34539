package org.mlflow.agent.it.servlet;

import static org.mlflow.agent.it.support.TraceFiles.attribute;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A trace's spans as the lines a user reads in MLflow's tree view. */
final class SpanTree {

  private SpanTree() {}

  /** One line per span, children below their parent, indented: {@code "  Completions CHAT_MODEL"}. */
  static List<String> of(JsonNode trace) {
    Map<String, List<JsonNode>> children = new HashMap<>();
    List<JsonNode> roots = new ArrayList<>();
    for (JsonNode span : trace.at("/data/spans")) {
      JsonNode parent = span.get("parent_span_id");
      if (parent == null || parent.isNull()) {
        roots.add(span);
      } else {
        children.computeIfAbsent(parent.asText(), id -> new ArrayList<>()).add(span);
      }
    }
    List<String> lines = new ArrayList<>();
    roots.forEach(root -> add(root, "", children, lines));
    return lines;
  }

  private static void add(JsonNode span, String indent, Map<String, List<JsonNode>> children,
      List<String> lines) {
    lines.add(indent + span.get("name").asText() + " " + attribute(span, "mlflow.spanType").asText()
        + ("STATUS_CODE_ERROR".equals(span.at("/status/code").asText()) ? " ERROR" : ""));
    for (JsonNode child : children.getOrDefault(span.get("span_id").asText(), List.of())) {
      add(child, indent + "  ", children, lines);
    }
  }

  /** The span of that name. */
  static JsonNode span(JsonNode trace, String name) {
    for (JsonNode span : trace.at("/data/spans")) {
      if (span.get("name").asText().equals(name)) {
        return span;
      }
    }
    throw new AssertionError("no span " + name + " in " + of(trace));
  }
}
