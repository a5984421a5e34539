package org.mlflow.agent.it.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.it.mlflow.MlflowServer;
import org.mlflow.agent.it.mlflow.MlflowServer.Backend;
import org.mlflow.agent.it.support.ForkedApp;
import org.mlflow.agent.it.support.ForkedApp.Result;
import org.mlflow.agent.it.support.TraceFiles;

/** Nothing is lost, and nothing is doubled, when the MLflow server is down or sent to twice. */
class OutageIT {

  private static final int CALLS = 1000;

  @Test
  void aThousandTracesMadeWhileTheServerIsDownAllEndUpOnItExactlyOnce() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getByName("127.0.0.1"))) {
      port = socket.getLocalPort();
    }
    try (OpenAiFake openai = new OpenAiFake()) {
      // The app starts against a server that is not there yet; the server comes up while the app
      // is still making its calls (it takes several seconds to start).
      CompletableFuture<Result> app = CompletableFuture.supplyAsync(() -> {
        try {
          return ForkedApp.of(ManyCallsApp.class).args(openai.baseUrl(), Integer.toString(CALLS))
              .env("MLFLOW_TRACKING_URI", "http://127.0.0.1:" + port)
              .env("MLFLOW_AGENT_FLUSH_TIMEOUT_SECONDS", "10")
              .run();
        } catch (Exception failed) {
          throw new IllegalStateException(failed);
        }
      });
      try (MlflowServer server = MlflowServer.start(Backend.SQLITE, port)) {
        Result run = app.join().assertCleanRun();
        assertTrue(run.stdout().contains(CALLS + " calls made"), run.stdout());
        Path unsent = run.workingDir().resolve("mlflow-traces/unsent");
        int leftInSpool = spooled(unsent);
        if (leftInSpool > 0) {
          // What the app's exit left in the spool, the next run (here: `upload`) sends.
          ForkedApp.agentCommandLine().in(run.workingDir()).args("upload", unsent.toString())
              .env("MLFLOW_TRACKING_URI", server.trackingUri())
              .run().assertCleanRun();
        }

        List<String> ids = server.searchTraceIds("0");
        assertEquals(CALLS, ids.size(), "traces on the server (" + leftInSpool
            + " were left in the spool at exit)\n" + run.stderr());
        assertEquals(CALLS, new HashSet<>(ids).size(), "each trace once");
        assertEquals(0, spooled(unsent));
        assertTrue(run.stderr().contains("WARN could not send traces to the MLflow server"),
            run.stderr());
      }
    }
  }

  @Test
  void aTraceSentTwiceToTheFileStoreCountsAsDeliveredTheSecondTime() throws Exception {
    try (OpenAiFake openai = new OpenAiFake();
        MlflowServer server = MlflowServer.start(Backend.FILE_STORE)) {
      Result local = ForkedApp.of(OpenAiChatApp.class).args(openai.baseUrl()).run()
          .assertCleanRun();
      Path folder = local.workingDir().resolve("mlflow-traces");
      Result first = upload(folder, server);
      assertEquals(0, first.exitCode(), first.stdout() + first.stderr());

      // The same three files once more, as after a crash between sending and moving them.
      try (Stream<Path> sent = Files.list(folder.resolve("uploaded"))) {
        for (Path file : (Iterable<Path>) sent::iterator) {
          Files.copy(file, folder.resolve(file.getFileName()));
        }
      }
      Result second = upload(folder, server);

      assertEquals(0, second.exitCode(), second.stdout() + second.stderr());
      assertTrue(second.stdout().contains("3 trace(s) uploaded"), second.stdout());
      List<String> ids = server.searchTraceIds("0");
      assertEquals(3, ids.size());
      assertEquals(3, new HashSet<>(ids).size());
    }
  }

  private static Result upload(Path folder, MlflowServer server) throws Exception {
    return ForkedApp.agentCommandLine().in(folder.getParent()).args("upload", folder.toString())
        .env("MLFLOW_TRACKING_URI", server.trackingUri())
        .run();
  }

  private static int spooled(Path unsent) throws Exception {
    return Files.isDirectory(unsent) ? TraceFiles.read(unsent).size() : 0;
  }
}
