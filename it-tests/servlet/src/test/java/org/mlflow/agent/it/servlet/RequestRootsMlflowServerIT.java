package org.mlflow.agent.it.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mlflow.agent.it.support.TraceFiles.parseJson;

import com.acme.assistant.Assistant;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mlflow.agent.it.mlflow.MlflowExperiment;
import org.mlflow.agent.it.mlflow.SqliteMlflowServer;
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

  @RegisterExtension
  static final SqliteMlflowServer mlflow = new SqliteMlflowServer();

  private static ChatFake openai;

  @BeforeAll
  static void start() {
    openai = new ChatFake();
  }

  @AfterAll
  static void stop() {
    openai.close();
  }

  @Test
  void requestRootsAreFoundByUserSessionAndMetadataInMlflow() throws Exception {
    MlflowExperiment experiment = mlflow.createExperiment("request-roots");
    Result run = experiment.app(ChatServerApp.class).args(openai.baseUrl())
        .env("MLFLOW_AGENT_USER_HEADER", ChatServerApp.USER_HEADER)
        .env("MLFLOW_AGENT_SESSION_HEADER", ChatServerApp.SESSION_HEADER)
        .env("MLFLOW_AGENT_TRACE_METADATA", "env=prod,app_version=1.4")
        .env("MLFLOW_AGENT_TRACE_METHODS", Assistant.class.getName() + "#answer:AGENT")
        .run().assertCleanRun();

    JsonNode found = experiment.python(SEARCH_WITH_PYTHON, List.of(experiment.id())).get(0);

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
