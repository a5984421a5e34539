package org.mlflow.agent.it.springai;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.it.support.ForkedApp;
import org.mlflow.agent.it.support.ForkedApp.Result;
import org.mlflow.agent.it.support.TraceFiles;

class SpringAiIT {

  private static SpringAiFake fake;

  @BeforeAll
  static void startFake() {
    fake = new SpringAiFake();
  }

  @AfterAll
  static void stopFake() {
    fake.close();
  }

  @Test
  void explore() throws Exception {
    Result run = ForkedApp.of(SpringAiApp.class).args(fake.baseUrl()).run();
    System.out.println(run.stdout());
    System.out.println(run.stderr());
    List<JsonNode> traces = TraceFiles.read(run.workingDir().resolve("mlflow-traces"));
    for (JsonNode trace : traces) {
      System.out.println("----\n" + SpanTrees.outline(trace));
      for (JsonNode span : trace.at("/data/spans")) {
        System.out.println(span.get("name").asText() + " " + span.get("attributes"));
      }
    }
    assertEquals(0, run.exitCode());
  }
}
