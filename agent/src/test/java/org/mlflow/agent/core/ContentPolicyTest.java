package org.mlflow.agent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.export.JsonCodec;

class ContentPolicyTest {

  @Test
  void contentWithinTheLimitIsKeptAsJson() {
    assertEquals("{\"q\":\"hi\"}", new ContentPolicy(true, 100).apply(Map.of("q", "hi")).json());
  }

  @Test
  void contentOverTheLimitBecomesAStringWithAClearMarker() throws Exception {
    String kept = JsonCodec.mapper().readValue(
        new ContentPolicy(true, 8).apply(Map.of("q", "a long question")).json(), String.class);
    assertEquals("{\"q\":\"a ... [truncated by mlflow-tracing-agent: 8 of 23 chars]", kept);
  }

  @Test
  void contentCaptureOffKeepsNothing() {
    assertNull(new ContentPolicy(false, 100).apply(Map.of("q", "hi")));
  }
}
