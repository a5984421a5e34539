package org.mlflow.agent.it.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mlflow.agent.it.support.TraceFiles.attribute;
import static org.mlflow.agent.it.support.TraceFiles.parseJson;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.util.ArrayList;
import java.util.List;

/** What the OpenAI tests read off the exported traces and the fake's request log. */
final class ExportedSpans {

  private ExportedSpans() {}

  /**
   * The one span of each trace, in the order the calls were made: every call is one trace of
   * exactly one span.
   */
  static List<JsonNode> oneSpanPerTrace(List<JsonNode> traces) {
    List<JsonNode> spans = new ArrayList<>();
    for (JsonNode trace : traces) {
      assertEquals(1, trace.at("/data/spans").size(), () -> "one span per call: " + trace);
      spans.add(trace.at("/data/spans/0"));
    }
    return spans;
  }

  /** The value of each {@code mlflow.chunk.item.<i>} event, parsed, in order. */
  static List<JsonNode> chunks(JsonNode span) {
    List<JsonNode> chunks = new ArrayList<>();
    for (JsonNode event : span.path("events")) {
      if (event.get("name").asText().startsWith("mlflow.chunk.item.")) {
        assertEquals("mlflow.chunk.item." + chunks.size(), event.get("name").asText());
        chunks.add(parseJson(event.at("/attributes/mlflow.chunk.value").asText()));
      }
    }
    return chunks;
  }

  static List<JsonNode> parsedAll(List<String> jsons) {
    List<JsonNode> parsed = new ArrayList<>();
    jsons.forEach(json -> parsed.add(parseJson(json)));
    return parsed;
  }

  /** The bodies the fake received on {@code path}, parsed, in order. */
  static List<JsonNode> requestsTo(WireMockServer server, String path) {
    List<JsonNode> bodies = new ArrayList<>();
    for (LoggedRequest request : server.findAll(postRequestedFor(urlPathEqualTo(path)))) {
      bodies.add(parseJson(request.getBodyAsString()));
    }
    return bodies;
  }

  static String status(JsonNode span) {
    return span.at("/status/code").asText();
  }

  static JsonNode usage(JsonNode span) {
    return attribute(span, "mlflow.chat.tokenUsage");
  }

  /** The {@code exception} events of a span (one for a failed call, none otherwise). */
  static List<JsonNode> exceptions(JsonNode span) {
    List<JsonNode> exceptions = new ArrayList<>();
    span.path("events").forEach(event -> {
      if (event.get("name").asText().equals("exception")) {
        exceptions.add(event.get("attributes"));
      }
    });
    return exceptions;
  }
}
