package org.mlflow.agent.sink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {

  private static final String ID = "tr-0000000000000000000000000000000a";
  private static final byte[] SPANS = "{\"spans\":[{\"name\":\"Completions\"}]}"
      .getBytes(StandardCharsets.UTF_8);

  @TempDir
  Path folder;

  @Test
  void aSenderInterruptedAtExitStillStoresItsTraceAndKeepsItsInterrupt() throws Exception {
    Spool spool = new Spool(folder, Long.MAX_VALUE);
    Thread.currentThread().interrupt(); // as ServerSink.close() wakes its senders
    boolean stored;
    try {
      stored = spool.store(ID, Map.of("trace_id", ID, "state", "OK"), SPANS);
    } finally {
      assertTrue(Thread.interrupted(), "the interrupt is the caller's: kept");
    }

    assertTrue(stored);
    assertEquals(1, spool.pending().size());
    assertArrayEquals(SPANS, spool.claim(spool.pending().get(0)).spansJson());
  }

  @Test
  void aStoredTraceIsClaimedOnceAndGoneWhenDelivered() throws Exception {
    Spool spool = new Spool(folder, Long.MAX_VALUE);
    assertTrue(spool.store(ID, Map.of("trace_id", ID, "state", "OK"), SPANS));
    Path file = spool.pending().get(0);

    Spool.Claim claim = spool.claim(file);
    assertNotNull(claim);
    assertNull(new Spool(folder, Long.MAX_VALUE).claim(file), "another JVM cannot take it too");
    assertEquals(ID, claim.traceId());
    assertEquals("OK", claim.info().get("state"));
    assertArrayEquals(SPANS, claim.spansJson());
    assertEquals(List.of(), spool.pending(), "a claimed trace is not pending");

    claim.delivered();
    try (var files = Files.list(folder)) {
      assertEquals(0, files.count());
    }
  }

  @Test
  void aReleasedTraceWaitsForTheNextTry() throws Exception {
    Spool spool = new Spool(folder, Long.MAX_VALUE);
    spool.store(ID, Map.of("trace_id", ID), SPANS);
    spool.claim(spool.pending().get(0)).release();
    assertEquals(1, spool.pending().size());
  }

  @Test
  void aClaimLeftByADeadJvmIsReleasedLater() throws Exception {
    Spool spool = new Spool(folder, Long.MAX_VALUE);
    spool.store(ID, Map.of("trace_id", ID), SPANS);
    Path file = spool.pending().get(0);
    spool.claim(file); // this "JVM" dies holding it
    try (var files = Files.list(folder)) {
      Path claimed = files.findFirst().orElseThrow();
      Files.setLastModifiedTime(claimed, FileTime.fromMillis(
          System.currentTimeMillis() - Spool.STALE_CLAIM_MILLIS - 1000));
    }
    assertEquals(List.of(file), new Spool(folder, Long.MAX_VALUE).pending());
  }

  @Test
  void halfWrittenAndForeignFilesAreNeverSentAsTraces() throws Exception {
    Files.writeString(folder.resolve("." + ID + ".json-123.tmp"), "{\"info\":{\"trace_id\""); // a writer died
    Files.writeString(folder.resolve("tr-garbage.json"), "not json at all");
    Files.writeString(folder.resolve("notes.txt"), "someone else's file");
    Spool spool = new Spool(folder, Long.MAX_VALUE);

    List<Path> pending = spool.pending();
    assertEquals(List.of(folder.resolve("tr-garbage.json")), pending);
    assertNull(spool.claim(pending.get(0)));
    assertTrue(Files.exists(folder.resolve("corrupt/tr-garbage.json")), "kept aside, not deleted");
    assertEquals(List.of(), spool.pending());
    assertTrue(Files.exists(folder.resolve("notes.txt")));
  }

  @Test
  void aWriteLeftUnfinishedLongAgoIsSetAsideAndAYoungOneIsLeftToItsWriter() throws Exception {
    Path abandoned = Files.writeString(folder.resolve("." + ID + ".json-123.tmp"), "{\"info\":");
    Files.setLastModifiedTime(abandoned, FileTime.fromMillis(
        System.currentTimeMillis() - Spool.STALE_CLAIM_MILLIS - 1000));
    Path inProgress = Files.writeString(folder.resolve(".tr-0b.json-456.tmp"), "{\"info\":");

    assertEquals(List.of(), new Spool(folder, Long.MAX_VALUE).pending());
    assertEquals("{\"info\":", Files.readString(folder.resolve("corrupt/" + ID + ".json-123.tmp")));
    assertFalse(Files.exists(abandoned));
    assertTrue(Files.exists(inProgress), "another JVM may still be writing it");
  }

  @Test
  void aTraceFileCutShortIsSetAsideAndFreesItsPlaceInTheSpool() throws Exception {
    Files.writeString(folder.resolve(ID + ".json"), "{\"info\":{\"trace_id\":\"" + ID + "\"},"
        + "\"data\":{\"spans\":[{\"name\":\"x\"}" + " ".repeat(200));
    Spool spool = new Spool(folder, 300);

    assertNull(spool.claim(spool.pending().get(0)));
    assertTrue(Files.exists(folder.resolve("corrupt/" + ID + ".json")), "kept aside, not deleted");
    assertEquals("rwx------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(folder.resolve("corrupt"))));
    assertTrue(spool.store("tr-0000000000000000000000000000000b",
        Map.of("trace_id", "tr-0000000000000000000000000000000b"), SPANS));
  }

  @Test
  void theSpoolFolderAndItsFilesAreReadableByTheirOwnerOnly() throws Exception {
    Spool spool = new Spool(folder.resolve("traces/unsent"), Long.MAX_VALUE);
    spool.store(ID, Map.of("trace_id", ID), SPANS);

    assertEquals("rwx------", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(folder.resolve("traces"))));
    assertEquals("rwx------", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(folder.resolve("traces/unsent"))));
    assertEquals("rw-------", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(folder.resolve("traces/unsent/" + ID + ".json"))));
  }

  @Test
  void theSpoolIsBoundedInBytes() throws Exception {
    Spool spool = new Spool(folder, 300);
    assertTrue(spool.store(ID, Map.of("trace_id", ID), SPANS));
    assertFalse(spool.store("tr-0000000000000000000000000000000b",
        Map.of("trace_id", "b", "padding", "x".repeat(300)), SPANS));
    assertEquals(1, spool.pending().size());
  }
}
