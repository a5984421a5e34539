package org.mlflow.agent.it.springai;

import static org.mlflow.agent.it.support.TraceFiles.attribute;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** A trace's spans as an indented outline, {@code name [TYPE] STATUS}, children under parents. */
final class SpanTrees {

  private SpanTrees() {}

  static String outline(JsonNode trace) {
    List<String> lines = new ArrayList<>();
    JsonNode spans = trace.at("/data/spans");
    for (JsonNode span : spans) {
      if (span.get("parent_span_id").isNull()) {
        add(lines, spans, span, 0);
      }
    }
    return String.join("\n", lines);
  }

  private static void add(List<String> lines, JsonNode spans, JsonNode span, int depth) {
    String status = span.at("/status/code").asText().replace("STATUS_CODE_", "");
    lines.add("  ".repeat(depth) + span.get("name").asText() + " ["
        + attribute(span, "mlflow.spanType").asText() + "] " + status);
    List<JsonNode> children = new ArrayList<>();
    for (JsonNode candidate : spans) {
      if (span.get("span_id").equals(candidate.get("parent_span_id"))) {
        children.add(candidate);
      }
    }
    children.sort((a, b) -> Long.compare(a.get("start_time_unix_nano").asLong(),
        b.get("start_time_unix_nano").asLong()));
    for (JsonNode child : children) {
      add(lines, spans, child, depth + 1);
    }
  }

  /** The span called {@code name}; fails when there is not exactly one. */
  static JsonNode named(JsonNode trace, String name) {
    JsonNode found = null;
    for (JsonNode span : trace.at("/data/spans")) {
      if (span.get("name").asText().equals(name)) {
        if (found != null) {
          throw new AssertionError("two spans named " + name + ":\n" + outline(trace));
        }
        found = span;
      }
    }
    if (found == null) {
      throw new AssertionError("no span named " + name + ":\n" + outline(trace));
    }
    return found;
  }
}
