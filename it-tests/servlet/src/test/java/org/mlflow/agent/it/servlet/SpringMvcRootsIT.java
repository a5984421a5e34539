package org.mlflow.agent.it.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mlflow.agent.it.support.TraceFiles.attribute;
import static org.mlflow.agent.it.support.TraceFiles.parseJson;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.it.servlet.spring.SpringChatApp;
import org.mlflow.agent.it.support.ForkedApp;
import org.mlflow.agent.it.support.ForkedApp.Result;
import org.mlflow.agent.it.support.TraceFiles;

/** A Spring Boot web app: Spring MVC's DispatcherServlet requests are the roots, named by route. */
class SpringMvcRootsIT {

  private static ChatFake openai;

  @BeforeAll
  static void startFake() {
    openai = new ChatFake();
  }

  @AfterAll
  static void stopFake() {
    openai.close();
  }

  @Test
  void eachRequestThatAsksTheModelIsARootNamedByItsRoute() throws Exception {
    Result run = ForkedApp.of(SpringChatApp.class).args(openai.baseUrl())
        .env("MLFLOW_AGENT_USER_HEADER", "X-User-Id")
        .run().assertCleanRun();
    Result without = ForkedApp.of(SpringChatApp.class).args(openai.baseUrl()).withoutAgent()
        .run().assertCleanRun();
    List<JsonNode> traces = TraceFiles.read(run.workingDir().resolve("mlflow-traces"));

    assertEquals(without.stdout(), run.stdout());
    assertEquals(List.of("POST /users/alice/chat -> 200 " + ChatFake.ANSWER,
        "GET /health -> 200 ok", "POST /users/bob/chat -> 200 " + ChatFake.ANSWER),
        run.stdout().lines().toList());
    assertEquals(2, traces.size(), "not /health: " + run.stderr());
    JsonNode alice = traces.get(0);
    assertEquals(List.of("POST /users/{id}/chat CHAIN", "  Completions CHAT_MODEL"),
        SpanTree.of(alice));
    assertEquals(parseJson("{\"method\":\"POST\",\"path\":\"/users/alice/chat\"}"),
        attribute(SpanTree.span(alice, "POST /users/{id}/chat"), "mlflow.spanInputs"));
    assertEquals("alice", alice.at("/info/trace_metadata/mlflow.trace.user").asText());
    assertEquals(List.of("POST /users/{id}/chat CHAIN", "  Completions CHAT_MODEL"),
        SpanTree.of(traces.get(1)));
  }
}
