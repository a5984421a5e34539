package org.mlflow.agent.it.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mlflow.agent.it.support.TraceFiles.parseJson;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mlflow.agent.it.mlflow.MlflowExperiment;
import org.mlflow.agent.it.mlflow.MlflowServer;
import org.mlflow.agent.it.mlflow.MlflowServer.Backend;
import org.mlflow.agent.it.mlflow.SqliteMlflowServer;
import org.mlflow.agent.it.support.ForkedApp;
import org.mlflow.agent.it.support.ForkedApp.Result;
import org.mlflow.agent.it.support.TraceFiles;

/**
 * The agent against a real MLflow tracking server: the traces read back through the REST API and
 * through MLflow's own Python client show what the MLflow UI shows.
 */
class RealMlflowServerIT {

  /** Reads traces with the Python client, printing one JSON line per trace id given. */
  private static final String READ_WITH_PYTHON = String.join("\n",
      "import json, sys, mlflow",
      "for trace_id in sys.argv[1:]:",
      "    t = mlflow.get_trace(trace_id)",
      "    s = t.data.spans[0]",
      "    print(json.dumps({'state': str(t.info.state), 'spans': len(t.data.spans),",
      "        'name': s.name, 'type': s.span_type, 'parent': s.parent_id,",
      "        'format': s.get_attribute('mlflow.message.format'),",
      "        'model': s.get_attribute('mlflow.llm.model'),",
      "        'usage': t.info.token_usage, 'request_preview': t.info.request_preview,",
      "        'response_preview': t.info.response_preview,",
      "        'trace_name': t.info.tags.get('mlflow.traceName'),",
      "        'input_question': (s.inputs or {}).get('messages', [{}])[-1].get('content'),",
      "        'answer': ((s.outputs or {}).get('choices') or [{}])[0].get('message', {}).get('content'),",
      "        'events': [e.name for e in s.events],",
      "        'status': str(s.status.status_code).split('.')[-1]}))");

  /** Reads a stream's and an embeddings call's trace with the Python client, one JSON line each. */
  private static final String READ_STREAM_AND_EMBEDDINGS = String.join("\n",
      "import json, sys, mlflow",
      "for trace_id in sys.argv[1:]:",
      "    t = mlflow.get_trace(trace_id)",
      "    s = t.data.spans[0]",
      "    chunks = [e for e in s.events if e.name.startswith('mlflow.chunk.item.')]",
      "    print(json.dumps({'spans': len(t.data.spans), 'name': s.name, 'type': s.span_type,",
      "        'format': s.get_attribute('mlflow.message.format'),",
      "        'model': s.get_attribute('mlflow.llm.model'), 'usage': t.info.token_usage,",
      "        'request_preview': t.info.request_preview,",
      "        'response_preview': t.info.response_preview,",
      "        'chunks': [json.loads(e.attributes['mlflow.chunk.value']) for e in chunks],",
      "        'chunk_names': [e.name for e in chunks],",
      "        'inputs': s.inputs, 'outputs': s.outputs,",
      "        'status': str(s.status.status_code).split('.')[-1]}))");

  @RegisterExtension
  static final SqliteMlflowServer mlflow = new SqliteMlflowServer();

  private static OpenAiFake openai;
  private static MlflowServer sqlite;

  @BeforeAll
  static void start() {
    openai = new OpenAiFake();
    sqlite = mlflow.server();
  }

  @AfterAll
  static void stop() {
    openai.close();
  }

  private static Result runAppAgainst(MlflowExperiment experiment) throws Exception {
    return runAppAgainst(OpenAiChatApp.class, experiment);
  }

  private static Result runAppAgainst(Class<?> app, MlflowExperiment experiment)
      throws Exception {
    return experiment.app(app).args(openai.baseUrl()).run().assertCleanRun();
  }

  /** The three traces of one OpenAiChatApp run, in call order, as the Python client reads them. */
  private static void assertTheAppsThreeTraces(List<JsonNode> traces) {
    assertEquals(3, traces.size());
    JsonNode first = traces.get(0);
    assertEquals("OK", first.get("state").asText());
    assertEquals(1, first.get("spans").asInt());
    assertEquals("Completions", first.get("name").asText());
    assertEquals("CHAT_MODEL", first.get("type").asText());
    assertTrue(first.get("parent").isNull());
    assertEquals("openai", first.get("format").asText());
    assertEquals(OpenAiFake.SERVED_MODEL, first.get("model").asText());
    assertEquals(parseJson("{\"input_tokens\":21,\"output_tokens\":12,\"total_tokens\":33}"),
        first.get("usage"));
    assertEquals("What is MLflow?", first.get("request_preview").asText());
    assertEquals(OpenAiFake.ANSWER, first.get("response_preview").asText());
    assertEquals("Completions", first.get("trace_name").asText());
    assertEquals("What is MLflow?", first.get("input_question").asText());
    assertEquals(OpenAiFake.ANSWER, first.get("answer").asText());
    assertEquals("OK", first.get("status").asText());

    JsonNode failed = traces.get(2);
    assertEquals("ERROR", failed.get("state").asText());
    assertEquals("ERROR", failed.get("status").asText());
    assertEquals("exception", failed.at("/events/0").asText());
  }

  /** Trace ids in the order the app made its calls. */
  private static List<String> idsInCallOrder(MlflowExperiment experiment) {
    MlflowServer server = experiment.server();
    List<String> ids = new ArrayList<>(experiment.traceIds());
    ids.sort((a, b) -> server.traceInfo(a).get("request_time").asText()
        .compareTo(server.traceInfo(b).get("request_time").asText()));
    return ids;
  }

  @Test
  void tracesLoadInTheMlflowClientWithEverythingTheUiShows() throws Exception {
    MlflowExperiment experiment = mlflow.createExperiment("agent-sqlite");
    Result run = runAppAgainst(experiment);

    List<String> ids = idsInCallOrder(experiment);
    assertEquals(3, ids.size(), run.stderr());
    JsonNode info = sqlite.traceInfo(ids.get(0));
    assertEquals("OK", info.get("state").asText());
    assertEquals("What is MLflow?", info.get("request_preview").asText());
    assertEquals("Completions", info.at("/tags/mlflow.traceName").asText());
    JsonNode spans = sqlite.traceSpans(ids.get(0)).get("spans");
    assertEquals(1, spans.size());
    assertEquals("\"CHAT_MODEL\"", spans.at("/0/attributes/mlflow.spanType").asText());

    assertTheAppsThreeTraces(experiment.python(READ_WITH_PYTHON, ids));
    assertTrue(run.agentLines().stream().anyMatch(line -> line.contains("3 trace(s) sent to")),
        run.stderr());
  }

  @Test
  void aStreamAndAnEmbeddingsCallLoadInTheMlflowClient() throws Exception {
    MlflowExperiment experiment = mlflow.createExperiment("agent-stream-and-embeddings");
    runAppAgainst(StreamAndEmbedApp.class, experiment);

    List<JsonNode> traces = experiment.python(READ_STREAM_AND_EMBEDDINGS,
        idsInCallOrder(experiment));
    assertEquals(2, traces.size());

    JsonNode stream = traces.get(0);
    assertEquals(1, stream.get("spans").asInt());
    assertEquals("Completions", stream.get("name").asText());
    assertEquals("CHAT_MODEL", stream.get("type").asText());
    assertEquals("openai", stream.get("format").asText());
    assertEquals("OK", stream.get("status").asText());
    assertEquals(OpenAiFake.SERVED_MODEL, stream.get("model").asText());
    assertEquals(ExportedSpans.parsedAll(FakeReplies.ANSWER_CHUNKS), toList(stream.get("chunks")));
    assertEquals("mlflow.chunk.item.5", stream.at("/chunk_names/5").asText());
    assertTrue(stream.at("/inputs/stream").asBoolean());
    assertEquals(FakeReplies.STREAMED_ANSWER,
        stream.at("/outputs/choices/0/message/content").asText());
    assertEquals("What does MLflow trace?", stream.get("request_preview").asText());
    assertEquals(FakeReplies.STREAMED_ANSWER, stream.get("response_preview").asText());
    assertEquals(parseJson("{\"input_tokens\":14,\"output_tokens\":3,\"total_tokens\":17}"),
        stream.get("usage"));

    JsonNode embeddings = traces.get(1);
    assertEquals(1, embeddings.get("spans").asInt());
    assertEquals("Embeddings", embeddings.get("name").asText());
    assertEquals("EMBEDDING", embeddings.get("type").asText());
    assertTrue(embeddings.get("format").isNull(), "not a chat");
    assertEquals("OK", embeddings.get("status").asText());
    assertEquals(FakeReplies.EMBEDDING_MODEL, embeddings.get("model").asText());
    assertEquals(parseJson(OpenAiApisIT.SUMMARISED_EMBEDDINGS), embeddings.get("outputs"));
    assertEquals(parseJson("{\"input_tokens\":8,\"output_tokens\":0,\"total_tokens\":8}"),
        embeddings.get("usage"));
  }

  private static List<JsonNode> toList(JsonNode array) {
    List<JsonNode> items = new ArrayList<>();
    array.forEach(items::add);
    return items;
  }

  @Test
  void aFileStoreServerTakesTheSameTraces() throws Exception {
    try (MlflowServer fileStore = MlflowServer.start(Backend.FILE_STORE)) {
      MlflowExperiment experiment = MlflowExperiment.create(fileStore, "agent-file-store");
      runAppAgainst(experiment);

      List<String> ids = idsInCallOrder(experiment);
      assertTheAppsThreeTraces(experiment.python(READ_WITH_PYTHON, ids));
    }
  }

  @Test
  void localTraceFilesAreLosslessAndUploadLater() throws Exception {
    Result run = ForkedApp.of(OpenAiChatApp.class).args(openai.baseUrl()).run().assertCleanRun();
    Path folder = run.workingDir().resolve("mlflow-traces");
    List<JsonNode> files = TraceFiles.read(folder);
    assertEquals(3, files.size());

    String roundTrip = sqlite.python(String.join("\n",
        "import json, sys",
        "from mlflow.entities import Trace",
        "def without_kind(trace):",
        "    # MLflow reads a span's OTel kind but does not keep it: its own files lose it too.",
        "    for span in trace['data']['spans']:",
        "        span.pop('kind', None)",
        "    return trace",
        "for path in sys.argv[1:]:",
        "    text = open(path).read()",
        "    print(without_kind(Trace.from_json(text).to_dict()) == without_kind(json.loads(text)))"),
        files.stream().map(f -> folder.resolve(f.at("/info/trace_id").asText() + ".json")
            .toString()).toArray(String[]::new));
    assertEquals("True\nTrue\nTrue", roundTrip.strip(), "Trace.from_json reads each file whole");

    MlflowExperiment experiment = mlflow.createExperiment("agent-upload");
    Result upload = experiment.sending(ForkedApp.agentCommandLine())
        .args("upload", folder.toString())
        .run();
    assertEquals(0, upload.exitCode(), upload.stdout() + upload.stderr());
    assertTrue(upload.stdout().contains("3 trace(s) uploaded"), upload.stdout());
    assertTrue(Files.isDirectory(folder.resolve("uploaded")));
    assertEquals(0, TraceFiles.read(folder).size(), "sent traces leave the folder");

    assertTheAppsThreeTraces(
        experiment.python(READ_WITH_PYTHON, idsInCallOrder(experiment)));
  }

  @Test
  void tracesKeptWhileTheServerWasDownArriveOnceWithTheNextRun() throws Exception {
    MlflowExperiment experiment = mlflow.createExperiment("agent-outage");
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Path app = Files.createTempDirectory("app-outage-");
    ForkedApp.of(OpenAiChatApp.class).args(openai.baseUrl()).in(app)
        .env("MLFLOW_TRACKING_URI", "http://127.0.0.1:" + closedPort)
        .env("MLFLOW_EXPERIMENT_ID", experiment.id())
        .run().assertCleanRun();
    assertEquals(3, TraceFiles.read(app.resolve("mlflow-traces/unsent")).size());

    // The next run sends the spool at start. A fresh SQL server's first span export can take
    // seconds on a busy machine, longer than this short app runs: give its exit time to finish,
    // since what misses the flush deadline waits in the spool for yet another run.
    Result second = experiment.app(OpenAiChatApp.class).args(openai.baseUrl()).in(app)
        .run().assertCleanRun();

    List<String> ids = experiment.traceIds();
    assertEquals(6, ids.size(), second.stderr());
    assertEquals(6, new java.util.HashSet<>(ids).size(), "each trace once");
    assertEquals(0, TraceFiles.read(app.resolve("mlflow-traces/unsent")).size());
    for (String id : ids) {
      assertEquals(1, sqlite.traceSpans(id).get("spans").size(), "every trace opens: " + id);
    }
  }

  @Test
  void anExperimentNamedButNotYetThereIsCreated() throws Exception {
    Result run = ForkedApp.of(OpenAiChatApp.class).args(openai.baseUrl())
        .env("MLFLOW_TRACKING_URI", sqlite.trackingUri())
        .env("MLFLOW_AGENT_FLUSH_TIMEOUT_SECONDS", "60") // a fresh SQL server's first span export is slow
        .env("MLFLOW_EXPERIMENT_NAME", "created-by-the-agent")
        .run().assertCleanRun();

    String experimentId = sqlite.python(String.join("\n",
        "import mlflow",
        "print(mlflow.get_experiment_by_name('created-by-the-agent').experiment_id)")).strip();
    assertEquals(3, sqlite.searchTraceIds(experimentId).size(), run.stderr());
    assertTrue(run.agentLines().get(0).contains("(experiment \"created-by-the-agent\")"),
        run.stderr());
  }
}
