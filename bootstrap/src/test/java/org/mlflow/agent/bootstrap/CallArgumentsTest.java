package org.mlflow.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallArgumentsTest {

  @Test
  void aListTheCallerGrowsAfterTheCallKeepsWhatWasPassed() {
    List<String> history = new ArrayList<>(List.of("question"));
    Object config = new Object();

    Object[] request = CallArguments.of("model", history, config, null);
    history.add("answer");

    assertEquals("model", request[0]);
    assertEquals(List.of("question"), request[1]);
    assertSame(config, request[2]);
    assertNull(request[3]);
  }
}
