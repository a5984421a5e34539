package org.mlflow.agent.it.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mlflow.agent.it.support.TraceFiles.attribute;
import static org.mlflow.agent.it.support.TraceFiles.parseJson;

import com.acme.assistant.Assistant;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.it.support.ForkedApp;
import org.mlflow.agent.it.support.ForkedApp.Result;
import org.mlflow.agent.it.support.TraceFiles;

/**
 * A web app on an embedded Tomcat: each request that asks the model is one trace whose root is
 * the request; a request that asks nothing leaves no trace.
 */
class ServletRootsIT {

  private static ChatFake openai;

  @BeforeAll
  static void startFake() {
    openai = new ChatFake();
  }

  @AfterAll
  static void stopFake() {
    openai.close();
  }

  private static ForkedApp server() {
    return ForkedApp.of(ChatServerApp.class).args(openai.baseUrl())
        .env("MLFLOW_AGENT_USER_HEADER", ChatServerApp.USER_HEADER)
        .env("MLFLOW_AGENT_SESSION_HEADER", ChatServerApp.SESSION_HEADER);
  }

  @Test
  void eachRequestThatAsksTheModelIsARootAndOneThatDoesNotIsNoTrace() throws Exception {
    Result run = server().env("MLFLOW_AGENT_TRACE_METADATA", "env=prod").run().assertCleanRun();
    List<JsonNode> traces = TraceFiles.read(run.workingDir().resolve("mlflow-traces"));

    assertEquals(2, traces.size(), "/chat and /ask, not /health: " + run.stderr());
    JsonNode chat = traces.get(0);
    assertEquals(List.of("POST /chat CHAIN", "  Completions CHAT_MODEL"), SpanTree.of(chat));
    JsonNode root = SpanTree.span(chat, "POST /chat");
    assertEquals(parseJson("{\"method\":\"POST\",\"path\":\"/chat\"}"),
        attribute(root, "mlflow.spanInputs"));
    assertEquals(parseJson("{\"status_code\":200}"), attribute(root, "mlflow.spanOutputs"));
    JsonNode info = chat.get("info");
    assertEquals("OK", info.get("state").asText());
    assertEquals("POST /chat", info.at("/tags/mlflow.traceName").asText());
    assertEquals("alice", info.at("/trace_metadata/mlflow.trace.user").asText());
    assertEquals("session-1", info.at("/trace_metadata/mlflow.trace.session").asText());
    assertEquals("prod", info.at("/trace_metadata/env").asText());
    assertEquals(parseJson("{\"input_tokens\":21,\"output_tokens\":12,\"total_tokens\":33}"),
        parseJson(info.at("/trace_metadata/mlflow.trace.tokenUsage").asText()));
    JsonNode completion = SpanTree.span(chat, "Completions");
    assertEquals("What is MLflow?",
        attribute(completion, "mlflow.spanInputs").at("/messages/0/content").asText());

    JsonNode forwarded = traces.get(1);
    assertEquals(List.of("POST /ask CHAIN", "  Completions CHAT_MODEL"), SpanTree.of(forwarded),
        "a forward inside the request is no second root");
    assertEquals("bob", forwarded.at("/info/trace_metadata/mlflow.trace.user").asText());
    assertTrue(forwarded.at("/info/trace_metadata/mlflow.trace.session").isMissingNode());
  }

  @Test
  void aTracedMethodInsideTheRequestSitsBetweenTheRequestAndTheModelCall() throws Exception {
    Result run = server()
        .env("MLFLOW_AGENT_TRACE_METHODS", Assistant.class.getName() + "#answer:AGENT")
        .run().assertCleanRun();
    List<JsonNode> traces = TraceFiles.read(run.workingDir().resolve("mlflow-traces"));

    assertEquals(2, traces.size(), run.stderr());
    assertEquals(List.of("POST /chat CHAIN", "  Assistant.answer AGENT",
        "    Completions CHAT_MODEL"), SpanTree.of(traces.get(0)));
  }

  @Test
  void headersQueryStringsAndTheApiKeyAreNeverExported() throws Exception {
    Result run = server().run().assertCleanRun();
    String exported = TraceFiles.allText(run.workingDir().resolve("mlflow-traces"));

    assertFalse(exported.isEmpty());
    for (String secret : List.of(ChatServerApp.BEARER, "SECRET-HEADER-TOKEN",
        ChatServerApp.QUERY_SECRET, Clients.API_KEY, "Authorization")) {
      assertFalse(exported.contains(secret), secret + " was exported");
      assertFalse(run.stderr().contains(secret), secret + " was logged");
    }
  }

  @Test
  void theAppPrintsExactlyWhatItPrintsWithoutTheAgent() throws Exception {
    Result with = server().run().assertCleanRun();
    Result without = server().withoutAgent().run().assertCleanRun();

    assertEquals(without.stdout(), with.stdout());
    assertEquals(List.of("POST /chat -> 200 " + ChatFake.ANSWER, "GET /health -> 200 ok",
        "POST /ask -> 200 " + ChatFake.ANSWER), with.stdout().lines().toList());
  }

  @Test
  void aJavaxServletRequestIsARootToo() throws Exception {
    Result run = ForkedApp.of(JavaxServletApp.class).args(openai.baseUrl())
        .env("MLFLOW_AGENT_USER_HEADER", ChatServerApp.USER_HEADER)
        .run().assertCleanRun();
    List<JsonNode> traces = TraceFiles.read(run.workingDir().resolve("mlflow-traces"));

    assertEquals(1, traces.size(), run.stderr());
    assertEquals(List.of("POST /legacy/chat CHAIN", "  Completions CHAT_MODEL"),
        SpanTree.of(traces.get(0)));
    assertEquals("carol", traces.get(0).at("/info/trace_metadata/mlflow.trace.user").asText());
    assertEquals("answer: " + ChatFake.ANSWER, run.stdout().strip());
  }
}
