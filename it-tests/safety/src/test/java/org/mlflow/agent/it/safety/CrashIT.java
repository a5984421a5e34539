package org.mlflow.agent.it.safety;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.agent.it.mlflow.MlflowServer;
import org.mlflow.agent.it.mlflow.MlflowServer.Backend;
import org.mlflow.agent.it.support.ForkedApp;
import org.mlflow.agent.it.support.ForkedApp.Result;
import org.mlflow.agent.it.support.TraceFiles;

/**
 * A JVM killed with SIGKILL while its traces wait in the spool (the server is down) loses none of
 * them: the next run, with the server up, sends each exactly once. What a kill or a full disk may
 * leave half written is never sent as a trace: it is moved to {@code corrupt/} with one line.
 */
class CrashIT {

  /**
   * A call every 2 s: while the agent retries the first trace (about 15 s) the others wait in
   * memory, then all go to the spool at once. A handful, so the next run can send them all within
   * its exit time on a loaded machine (a fresh SQLite server takes its first traces slowly).
   */
  private static final String PAUSE_MILLIS = "2000";
  private static final int SPOOLED_BEFORE_KILL = 3;
  private static final Duration SPOOL_WAIT = Duration.ofSeconds(120);
  private static final int CALLS_OF_THE_NEXT_RUN = 2;

  @Test
  void whatAKilledRunSpooledTheNextRunSendsExactlyOnceAndHalfWrittenFilesAreSetAside(
      @TempDir Path app) throws Exception {
    ForkedApp.Started crashing = ForkedApp.of(CallsApp.class).args("0", PAUSE_MILLIS).in(app)
        .env("MLFLOW_TRACKING_URI", "http://127.0.0.1:" + closedPort())
        .start();
    Path unsent = crashing.workingDir().resolve("mlflow-traces/unsent");
    awaitSpooled(crashing, unsent);
    Result killed = crashing.kill();

    assertEquals(128 + 9, killed.exitCode(), "killed by SIGKILL:\n" + killed.stderr());
    assertFalse(killed.stdout().contains("calls made"), "killed mid-run: " + killed.stdout());
    assertFalse(killed.stderr().contains(ForkedApp.AGENT_ERROR), killed.stderr());
    Set<String> spooled = traceIds(unsent);
    assertTrue(spooled.size() >= SPOOLED_BEFORE_KILL, spooled.toString());

    // What a kill leaves when it lands inside the spool's own write (a hidden temporary file, cut
    // short, never renamed), from a run an hour ago: a younger one may be another JVM's write in
    // progress. And a trace file cut short, as a full disk leaves one under a non-atomic writer.
    byte[] whole = Files.readAllBytes(unsent.resolve(spooled.iterator().next() + ".json"));
    String unfinishedId = "tr-" + "d".repeat(32);
    Path unfinished = Files.createTempFile(unsent, "." + unfinishedId + ".json-", ".tmp");
    byte[] unfinishedBytes = Arrays.copyOf(whole, whole.length / 2);
    Files.write(unfinished, unfinishedBytes);
    Files.setLastModifiedTime(unfinished, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
    String truncatedId = "tr-" + "e".repeat(32);
    Path truncated = unsent.resolve(truncatedId + ".json");
    byte[] truncatedBytes = Arrays.copyOf(whole, whole.length * 2 / 3);
    Files.write(truncated, truncatedBytes);

    try (MlflowServer server = MlflowServer.start(Backend.SQLITE)) {
      Result next = ForkedApp.of(CallsApp.class)
          .args(Integer.toString(CALLS_OF_THE_NEXT_RUN), "0")
          .in(app)
          .env("MLFLOW_TRACKING_URI", server.trackingUri())
          .env("MLFLOW_AGENT_FLUSH_TIMEOUT_SECONDS", "60")
          .run().assertCleanRun();

      List<String> onServer = server.searchTraceIds("0");
      Set<String> distinct = new HashSet<>(onServer);
      assertEquals(onServer.size(), distinct.size(), "each trace once: " + onServer);
      assertTrue(distinct.containsAll(spooled), "every spooled trace arrived\n" + next.stderr());
      assertEquals(spooled.size() + CALLS_OF_THE_NEXT_RUN, distinct.size(), next.stderr());
      assertFalse(distinct.contains(unfinishedId) || distinct.contains(truncatedId), next.stderr());
      assertTrue(next.stderr().contains((spooled.size() + CALLS_OF_THE_NEXT_RUN)
          + " trace(s) sent to MLflow server " + server.trackingUri() + " (experiment 0) ("
          + spooled.size() + " from the spool)"), next.stderr());
      assertEquals(Set.of(), traceIds(unsent), "the spool is empty");

      Path corrupt = unsent.resolve("corrupt");
      Path keptUnfinished = corrupt.resolve(unfinished.getFileName().toString().substring(1));
      Path keptTruncated = corrupt.resolve(truncated.getFileName());
      assertArrayEquals(unfinishedBytes, Files.readAllBytes(keptUnfinished), "kept as it was");
      assertArrayEquals(truncatedBytes, Files.readAllBytes(keptTruncated), "kept as it was");
      assertEquals("rwx------", PosixFilePermissions.toString(
          Files.getPosixFilePermissions(corrupt)), "private like the spool");
      // One line each, in the order the next run found them: the spool's listing at start sets
      // the unfinished write aside, sending then finds the cut trace.
      assertEquals(List.of(
              "[mlflow-agent] WARN moved " + unfinished + " to " + keptUnfinished
                  + ": a spool write that never finished (the JVM writing it stopped), not a"
                  + " trace; it is kept there and not sent",
              "[mlflow-agent] WARN moved " + truncated + " to " + keptTruncated
                  + ": it is not a whole trace file"),
          linesAbout(next, "corrupt").stream()
              .map(line -> line.replaceFirst(": it is not a whole trace file \\(.*",
                  ": it is not a whole trace file"))
              .collect(Collectors.toList()));
    }
  }

  /** Waits until the killed-to-be app has spooled some traces: a poll, not a timing. */
  private static void awaitSpooled(ForkedApp.Started app, Path unsent) throws Exception {
    Instant deadline = Instant.now().plus(SPOOL_WAIT);
    while (traceIds(unsent).size() < SPOOLED_BEFORE_KILL) {
      if (!app.isAlive() || Instant.now().isAfter(deadline)) {
        fail("the app spooled " + traceIds(unsent).size() + " traces:\n" + app.kill().stderr());
      }
      Thread.sleep(100);
    }
  }

  private static Set<String> traceIds(Path folder) throws Exception {
    Set<String> ids = new HashSet<>();
    for (JsonNode trace : TraceFiles.read(folder)) {
      ids.add(trace.path("info").path("trace_id").asText());
    }
    return ids;
  }

  private static List<String> linesAbout(Result run, String text) {
    return run.agentLines().stream().filter(line -> line.contains(text))
        .collect(Collectors.toList());
  }

  private static int closedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    }
  }
}
