package org.mlflow.agent.it.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.agent.it.support.ForkedApp;
import org.mlflow.agent.it.support.ForkedApp.Result;

/**
 * Traces hold prompts and answers: the files the agent writes are readable by their owner only
 * (0600), and the folders it creates for them cannot even be listed by anyone else (0700).
 */
class FilePermissionsIT {

  private static final String OWNER_ONLY_FILE = "rw-------";
  private static final String OWNER_ONLY_FOLDER = "rwx------";

  @Test
  void traceFilesAndTheirFolderAreTheOwnersOnly(@TempDir Path app) throws Exception {
    Result run = ForkedApp.of(CallsApp.class).args("3", "0").in(app).run().assertCleanRun();
    Path traces = run.workingDir().resolve("mlflow-traces");

    assertEquals(OWNER_ONLY_FOLDER, permissions(traces));
    assertEquals(3, traceFilePermissions(traces).size(), run.stderr());
    assertEquals(List.of(OWNER_ONLY_FILE), distinct(traceFilePermissions(traces)));
  }

  @Test
  void spooledTracesAndTheSpoolFolderAreTheOwnersOnly(@TempDir Path app) throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getByName("127.0.0.1"))) {
      closedPort = socket.getLocalPort();
    }
    Result run = ForkedApp.of(CallsApp.class).args("3", "0").in(app)
        .env("MLFLOW_TRACKING_URI", "http://127.0.0.1:" + closedPort)
        .env("MLFLOW_AGENT_FLUSH_TIMEOUT_SECONDS", "5")
        .run().assertCleanRun();
    Path traces = run.workingDir().resolve("mlflow-traces");
    Path unsent = traces.resolve("unsent");

    assertEquals(OWNER_ONLY_FOLDER, permissions(traces), "created for the spool");
    assertEquals(OWNER_ONLY_FOLDER, permissions(unsent));
    assertEquals(3, traceFilePermissions(unsent).size(), run.stderr());
    assertEquals(List.of(OWNER_ONLY_FILE), distinct(traceFilePermissions(unsent)));
  }

  /** Each trace file of a folder and its permissions. */
  private static Map<Path, String> traceFilePermissions(Path folder) throws Exception {
    Map<Path, String> files = new TreeMap<>();
    try (Stream<Path> entries = Files.list(folder)) {
      for (Path file : (Iterable<Path>) entries::iterator) {
        if (file.getFileName().toString().matches("tr-[0-9a-f]{32}\\.json")) {
          files.put(file, permissions(file));
        }
      }
    }
    return files;
  }

  private static List<String> distinct(Map<Path, String> permissions) {
    return permissions.values().stream().distinct().collect(Collectors.toList());
  }

  private static String permissions(Path path) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }
}
