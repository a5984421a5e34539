package org.mlflow.agent.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MlflowJsonTest {

  @Test
  void durationsAreProtoJsonSeconds() {
    assertEquals("0s", MlflowJson.protoDuration(0));
    assertEquals("1.532s", MlflowJson.protoDuration(1_532_000_000L));
    assertEquals("0.000250s", MlflowJson.protoDuration(250_000L));
    assertEquals("2.000000001s", MlflowJson.protoDuration(2_000_000_001L));
  }

  @Test
  void requestTimesAreRfc3339WithMilliseconds() {
    assertEquals("2026-11-22T18:30:00.123Z",
        MlflowJson.rfc3339Millis(1_795_372_200_123_456_789L));
    assertEquals("2026-11-22T18:30:00.000Z", MlflowJson.rfc3339Millis(1_795_372_200_000_000_000L));
  }

  @Test
  void spansCarryBase64IdsAndJsonEncodedAttributes() {
    ExportedSpan root = new ExportedSpan(0x0af7651916cd43ddL, 0x8448eb211c80319cL,
        0xb7ad6b7169203331L, 0, "root", 10, 20, ExportedSpan.STATUS_OK, "",
        Map.of(MlflowAttributes.SPAN_TYPE, "CHAIN"), List.of());
    ExportedSpan child = new ExportedSpan(0x0af7651916cd43ddL, 0x8448eb211c80319cL, 2L,
        0xb7ad6b7169203331L, "child", 11, 19, ExportedSpan.STATUS_ERROR, "boom",
        Map.of(MlflowAttributes.SPAN_INPUTS, Map.of("q", 1)),
        List.of(new ExportedEvent("exception", 18, Map.of("exception.type", "X"))));

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> spans =
        (List<Map<String, Object>>) MlflowJson.spansDocument(List.of(root, child)).get("spans");

    // The same ids as MLflow's Python client writes for tr-0af7651916cd43dd8448eb211c80319c.
    assertEquals("CvdlGRbNQ92ESOshHIAxnA==", spans.get(0).get("trace_id"));
    assertEquals("t61rcWkgMzE=", spans.get(0).get("span_id"));
    assertNull(spans.get(0).get("parent_span_id"));
    assertEquals("t61rcWkgMzE=", spans.get(1).get("parent_span_id"));
    assertEquals(Map.of("mlflow.spanType", "\"CHAIN\""), spans.get(0).get("attributes"));
    assertEquals(Map.of("mlflow.spanInputs", "{\"q\":1}"), spans.get(1).get("attributes"));
    assertEquals(Map.of("code", "STATUS_CODE_ERROR", "message", "boom"),
        spans.get(1).get("status"));
    assertEquals(List.of(Map.of("name", "exception", "time_unix_nano", 18L,
        "attributes", Map.of("exception.type", "X"))), spans.get(1).get("events"));
  }
}
