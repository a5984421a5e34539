package org.mlflow.agent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.export.ExportedSpan;
import org.mlflow.agent.export.MlflowAttributes;

class TraceBuilderTest {

  private static ExportedSpan span(long id, long parentId, Map<String, Object> usage) {
    Map<String, Object> attributes = usage == null
        ? Map.of() : Map.of(MlflowAttributes.CHAT_TOKEN_USAGE, usage);
    return new ExportedSpan(1, 2, id, parentId, "span-" + id, 0, 1, ExportedSpan.STATUS_OK, "",
        attributes, List.of());
  }

  @Test
  void cacheCountsAreSummedWhenSomeSpanReportsThem() {
    List<ExportedSpan> spans = List.of(
        span(1, 0, null),
        span(2, 1, Map.of("input_tokens", 120L, "output_tokens", 8L, "total_tokens", 128L,
            "cache_read_input_tokens", 100L)),
        span(3, 1, Map.of("input_tokens", 50L, "output_tokens", 5L, "total_tokens", 55L,
            "cache_read_input_tokens", 40L, "cache_creation_input_tokens", 10L)),
        span(4, 1, Map.of("input_tokens", 7L, "output_tokens", 3L, "total_tokens", 10L)));

    assertEquals(
        Map.of("input_tokens", 177L, "output_tokens", 16L, "total_tokens", 193L,
            "cache_read_input_tokens", 140L, "cache_creation_input_tokens", 10L),
        TraceBuilder.traceTokenUsage(spans));
  }

  @Test
  void withoutCacheCountsTheTraceHasNone() {
    List<ExportedSpan> spans = List.of(
        span(1, 0, Map.of("input_tokens", 7L, "output_tokens", 3L, "total_tokens", 10L)));

    assertEquals(Map.of("input_tokens", 7L, "output_tokens", 3L, "total_tokens", 10L),
        TraceBuilder.traceTokenUsage(spans));
  }

  @Test
  void everyTraceCarriesTheStaticMetadataAndWhatItsSpansGiveIt() {
    ExportedSpan root = new ExportedSpan(1, 2, 1, 0, "POST /chat", 0, 1, ExportedSpan.STATUS_OK,
        "", Map.of(), List.of(), Map.of("mlflow.trace.user", "alice"));
    TraceBuilder builder = new TraceBuilder("0", Map.of("mlflow.source.type", "LOCAL"),
        Map.of("env", "prod"), TraceBuilder.PREVIEW_CHARS);

    Map<String, String> metadata = builder.build(List.of(root, span(2, 1, null))).metadata();

    assertEquals("LOCAL", metadata.get("mlflow.source.type"));
    assertEquals("prod", metadata.get("env"));
    assertEquals("alice", metadata.get("mlflow.trace.user"));
  }
}
