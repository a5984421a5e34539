package org.mlflow.agent.it.langchain4j;

import static org.mlflow.agent.it.support.TraceFiles.attribute;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** A trace's spans as an indented outline of names and types, for asserting a whole tree. */
final class SpanTree {

  private SpanTree() {}

  /** One line per span, {@code "  name [TYPE]"}, indented by depth, children in start order. */
  static List<String> outline(JsonNode trace) {
    List<String> lines = new ArrayList<>();
    JsonNode spans = trace.at("/data/spans");
    for (JsonNode span : spans) {
      if (span.get("parent_span_id").isNull()) {
        add(span, spans, 0, lines);
      }
    }
    return lines;
  }

  static JsonNode named(JsonNode trace, String name, int occurrence) {
    int seen = 0;
    for (JsonNode span : byStart(trace.at("/data/spans"))) {
      if (span.get("name").asText().equals(name) && seen++ == occurrence) {
        return span;
      }
    }
    throw new AssertionError("no span " + name + " #" + occurrence + " in " + outline(trace));
  }

  private static void add(JsonNode span, JsonNode spans, int depth, List<String> lines) {
    lines.add("  ".repeat(depth) + span.get("name").asText() + " ["
        + attribute(span, "mlflow.spanType").asText() + "]");
    for (JsonNode child : byStart(spans)) {
      if (span.get("span_id").asText().equals(child.get("parent_span_id").asText())) {
        add(child, spans, depth + 1, lines);
      }
    }
  }

  private static List<JsonNode> byStart(JsonNode spans) {
    List<JsonNode> sorted = new ArrayList<>();
    spans.forEach(sorted::add);
    sorted.sort((a, b) -> Long.compare(a.get("start_time_unix_nano").asLong(),
        b.get("start_time_unix_nano").asLong()));
    return sorted;
  }
}
