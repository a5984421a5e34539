package org.mlflow.agent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentMonitorTest {

  private final AgentStats stats = new AgentStats();
  private final Map<String, Long> delivery = new HashMap<>();
  private final AgentMonitor monitor = new AgentMonitor(new ExporterMetrics(stats));

  AgentMonitorTest() {
    stats.readDeliveryFrom(() -> Map.copyOf(delivery));
  }

  @Test
  void aHealthyAgentStaysQuiet() {
    delivery.put("sent", 40L);
    assertNull(monitor.summarySince());
  }

  @Test
  void retriesSpoolsAndDropsAreSummedUpOnceEach() {
    delivery.put("sent", 10L);
    delivery.put("retried", 2L);
    delivery.put("spooled", 1L);
    delivery.put("queued", 3L);
    stats.spansDropped(AgentStats.DROP_RING_FULL, 5);

    assertEquals("since the last summary: exported 10, retried 2, spooled 1, waiting 3; dropped so"
        + " far {ring_full=5} (counters on JMX: org.mlflow.agent:type=Exporter)",
        monitor.summarySince());
    delivery.put("sent", 12L);
    assertNull(monitor.summarySince(), "nothing went wrong since");

    delivery.put("rejected", 1L);
    assertEquals("since the last summary: exported 2, retried 0, spooled 0, waiting 3; dropped so"
        + " far {rejected_by_server=1, ring_full=5} (counters on JMX:"
        + " org.mlflow.agent:type=Exporter)", monitor.summarySince());
  }

  @Test
  void theMbeanCountsExportedTracesWhereverTheyWent() {
    delivery.put("sent", 3L);
    delivery.put("replayed", 2L);
    delivery.put("lost", 1L);
    ExporterMetrics metrics = new ExporterMetrics(stats);
    assertEquals(5, metrics.getTracesExported());
    assertEquals(Map.of("lost", 1L), metrics.getDroppedByReason());
  }
}
