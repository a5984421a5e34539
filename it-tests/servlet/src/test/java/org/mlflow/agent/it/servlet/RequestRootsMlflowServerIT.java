package org.mlflow.agent.it.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mlflow.agent.it.support.TraceFiles.parseJson;

import com.acme.assistant.Assistant;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.it.mlflow.MlflowServer;
import org.mlflow.agent.it.mlflow.MlflowServer.Backend;
import org.mlflow.agent.it.support.ForkedApp;
import org.mlflow.agent.it.support.ForkedApp.Result;

/**
 * Request roots on a real MLflow server: found by their user, session and static metadata with
 * MLflow's own search, as the UI's filters and its Users and Sessions views find them.
 */
class RequestRootsMlflowServerIT {

  /** Prints how many traces each search finds, then alice's trace as the Python client reads it. */
  private static final String SEARCH_WITH_PYTHON = String.join("\n",
      "import json, sys, mlflow",
      "experiment = sys.argv[1]",
      "def search(f):",
      "    return mlflow.search_traces(locations=[experiment], filter_string=f, return_type='list')",
      "prod = search(\"metadata.env = 'prod'\")",
      "alice = search(\"metadata.`mlflow.trace.user` = 'alice'\")",
      "t = alice[0]",
      "names = {s.span_id: s.name for s in t.data.spans}",
      "print(json.dumps({'prod': len(prod), 'alice': len(alice),",
      "    'session': t.info.trace_metadata.get('mlflow.trace.session'),",
      "    'version': t.info.trace_metadata.get('app_version'),",
      "    'name': t.info.tags.get('mlflow.traceName'),",
      "    'spans': [[s.name, s.span_type, names.get(s.parent_id)]",
      "              for s in sorted(t.data.spans, key=lambda s: s.start_time_ns)],",
      "    'root_inputs': t.data.spans[0].inputs, 'root_outputs': t.data.spans[0].outputs}))");

  private static ChatFake openai;
  private static MlflowServer sqlite;

  @BeforeAll
  static void start() throws Exception {
    openai = new ChatFake();
    sqlite = MlflowServer.start(Backend.SQLITE);
  }

  @AfterAll
  static void stop() {
    if (sqlite != null) {
      sqlite.close();
    }
    openai.close();
  }

  @Test
  void requestRootsAreFoundByUserSessionAndMetadataInMlflow() throws Exception {
    String experimentId = sqlite.createExperiment("request-roots");
    Result run = ForkedApp.of(ChatServerApp.class).args(openai.baseUrl())
        .env("MLFLOW_TRACKING_URI", sqlite.trackingUri())
        .env("MLFLOW_AGENT_FLUSH_TIMEOUT_SECONDS", "60") // a fresh SQL server's first span export is slow
        .env("MLFLOW_EXPERIMENT_ID", experimentId)
        .env("MLFLOW_AGENT_USER_HEADER", ChatServerApp.USER_HEADER)
        .env("MLFLOW_AGENT_SESSION_HEADER", ChatServerApp.SESSION_HEADER)
        .env("MLFLOW_AGENT_TRACE_METADATA", "env=prod,app_version=1.4")
        .env("MLFLOW_AGENT_TRACE_METHODS", Assistant.class.getName() + "#answer:AGENT")
        .run().assertCleanRun();

    JsonNode found = parseJson(sqlite.python(SEARCH_WITH_PYTHON, experimentId).strip());

    assertEquals(2, found.get("prod").asInt(), run.stderr());
    assertEquals(1, found.get("alice").asInt());
    assertEquals("session-1", found.get("session").asText());
    assertEquals("1.4", found.get("version").asText());
    assertEquals("POST /chat", found.get("name").asText());
    assertEquals(parseJson("[[\"POST /chat\",\"CHAIN\",null],"
            + "[\"Assistant.answer\",\"AGENT\",\"POST /chat\"],"
            + "[\"Completions\",\"CHAT_MODEL\",\"Assistant.answer\"]]"),
        found.get("spans"));
    assertEquals(parseJson("{\"method\":\"POST\",\"path\":\"/chat\"}"), found.get("root_inputs"));
    assertEquals(parseJson("{\"status_code\":200}"), found.get("root_outputs"));
  }
}
