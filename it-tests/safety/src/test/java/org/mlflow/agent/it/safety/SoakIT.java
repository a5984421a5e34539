package org.mlflow.agent.it.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.it.support.ForkedApp;
import org.mlflow.agent.it.support.TraceFiles;

/**
 * Many platform threads and, on Java 21+, 10,000 virtual threads make traced OpenAI calls through
 * the real agent for {@code soak.seconds} (20 s in the suite; -Dsoak.seconds=600 for a long soak),
 * in a JVM recorded by JFR. The ring is small on purpose, so spans are both exported and dropped.
 */
class SoakIT {

  static final int PLATFORM_THREADS = 16;
  static final int VIRTUAL_THREADS = 10_000;
  static final boolean VIRTUAL_THREADS_EXIST = Runtime.version().feature() >= 21;
  static final long MAX_HEAP_BYTES = 512L << 20;

  private static ForkedApp.Result run;
  private static Path recording;
  private static long offered;
  private static long exported;
  private static long dropped;
  private static long failed;

  @BeforeAll
  static void soak() throws Exception {
    long seconds = Long.getLong("soak.seconds", 20);
    Path dir = Files.createTempDirectory("soak-");
    recording = dir.resolve("soak.jfr");
    String jfr = "-XX:StartFlightRecording=filename=" + recording + ",settings=default";
    if (VIRTUAL_THREADS_EXIST) {
      // Every pinning counts, not only those over the default 20 ms threshold.
      jfr += ",jdk.VirtualThreadPinned#threshold=0ms";
    }
    run = ForkedApp.of(SoakApp.class)
        .jvmOption("-Xmx" + (MAX_HEAP_BYTES >> 20) + "m")
        .jvmOption(jfr)
        .env("MLFLOW_AGENT_RING_SIZE", "1024")
        // The exit waits for everything in the ring, so each span ends exported or dropped.
        .env("MLFLOW_AGENT_FLUSH_TIMEOUT_SECONDS", "120")
        .args(String.valueOf(seconds), String.valueOf(PLATFORM_THREADS),
            String.valueOf(VIRTUAL_THREADS_EXIST ? VIRTUAL_THREADS : 0))
        .in(dir)
        .timeoutSeconds(seconds + 180)
        .run();
    offered = Long.parseLong(find(run.stdout(), "calls: (\\d+)"));
    failed = Long.parseLong(find(run.stdout(), "failed: (\\d+)"));
    exported = spansIn(dir.resolve("mlflow-traces"));
    dropped = droppedSpans(run.stderr());
    System.out.printf("soak %d s on Java %d: offered %d (calls that failed: %d), exported %d,"
            + " dropped %d, heap high-water %d MB%n", seconds, Runtime.version().feature(), offered,
        failed, exported, dropped, heapHighWaterBytes(false) >> 20);
    System.out.printf("soak: live heap high-water (after GC) %d MB%n",
        heapHighWaterBytes(true) >> 20);
    deleteTree(dir.resolve("mlflow-traces"));
  }

  @Test
  void everySpanIsExportedOrCountedAsDropped() {
    run.assertCleanRun();
    assertTrue(offered > 0);
    assertEquals(0, failed, run.stdout());
    assertTrue(exported > 0, "some spans were exported");
    assertEquals(offered, exported + dropped,
        "offered " + offered + " = exported " + exported + " + dropped " + dropped);
    assertFalse(run.stderr().contains("left behind at exit"), run.stderr());
  }

  @Test
  void theHeapStaysWithinItsBound() throws IOException {
    // An unbounded backlog would end in OutOfMemoryError, which assertCleanRun catches as a
    // failed exit; the live set after each GC (what is retained: rings, pending traces, the
    // callers' own objects: 10,000 virtual threads mid-call hold about 200 MB) stays under three
    // quarters of the heap.
    long live = heapHighWaterBytes(true);
    assertTrue(live > 0 && live < MAX_HEAP_BYTES * 3 / 4, "live heap high-water " + live);
  }

  @Test
  void noVirtualThreadIsPinnedInAgentCode() throws IOException {
    assumeTrue(VIRTUAL_THREADS_EXIST,
        "Java " + Runtime.version().feature() + " has no virtual threads; the Java 21+ run covers them");
    List<String> pinnedByAgent = new ArrayList<>();
    int pinned = 0;
    int throughAgent = 0;
    for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
      if (!event.getEventType().getName().equals("jdk.VirtualThreadPinned")
          || event.getStackTrace() == null) {
        continue;
      }
      pinned++;
      List<RecordedFrame> frames = event.getStackTrace().getFrames();
      if (frames.stream().anyMatch(frame -> isAgentCode(className(frame)))) {
        throughAgent++;
      }
      // Who blocked: the innermost frame that is not the JDK's own.
      frames.stream().map(SoakIT::className).filter(name -> !isJdk(name)).findFirst()
          .filter(SoakIT::isAgentCode)
          .ifPresent(name -> pinnedByAgent.add(name + " in " + event));
    }
    System.out.println("soak: " + pinned + " virtual thread pinning event(s), " + throughAgent
        + " with an agent frame lower on the stack (the library blocked inside a call the agent"
        + " wraps), " + pinnedByAgent.size() + " blocked in agent code");
    assertEquals(List.of(), pinnedByAgent);
  }

  private static String className(RecordedFrame frame) {
    return frame.getMethod().getType().getName();
  }

  private static boolean isJdk(String className) {
    return className.startsWith("java.") || className.startsWith("jdk.")
        || className.startsWith("sun.") || className.startsWith("com.sun.");
  }

  /** The agent's classes, not this test's apps (org.mlflow.agent.it). */
  private static boolean isAgentCode(String className) {
    return className.startsWith("org.mlflow.agent.") && !className.startsWith("org.mlflow.agent.it.");
  }

  /** The most heap in use, over all GCs, before them or (afterGc) what they left. */
  private static long heapHighWaterBytes(boolean afterGc) throws IOException {
    long max = 0;
    for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
      if (event.getEventType().getName().equals("jdk.GCHeapSummary")
          && event.getString("when").equals(afterGc ? "After GC" : "Before GC")) {
        max = Math.max(max, event.getLong("heapUsed"));
      }
    }
    return max;
  }

  private static long spansIn(Path folder) throws IOException {
    return TraceFiles.read(folder).stream()
        .mapToLong(trace -> trace.path("data").path("spans").size())
        .sum();
  }

  /** The exit line "spans dropped by reason: {ring_full=12, late=3}; ...", summed. */
  private static long droppedSpans(String stderr) {
    Matcher line = Pattern.compile("spans dropped by reason: \\{([^}]*)\\}").matcher(stderr);
    if (!line.find()) {
      return 0;
    }
    long total = 0;
    Matcher count = Pattern.compile("=(\\d+)").matcher(line.group(1));
    while (count.find()) {
      total += Long.parseLong(count.group(1));
    }
    return total;
  }

  private static String find(String text, String regex) {
    Matcher matcher = Pattern.compile(regex).matcher(text);
    assertTrue(matcher.find(), () -> "no " + regex + " in:\n" + text);
    return matcher.group(1);
  }

  private static void deleteTree(Path folder) throws IOException {
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> files = Files.walk(folder)) {
      files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(file -> {
        try {
          Files.delete(file);
        } catch (IOException ignored) {
          // a temp folder; the OS cleans it
        }
      });
    }
  }
}
