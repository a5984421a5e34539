package org.mlflow.agent.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.agent.export.ExportedSpan;
import org.mlflow.agent.export.ExportedTrace;
import org.mlflow.agent.export.JsonCodec;

class LocalFolderSinkTest {

  @TempDir
  Path folder;

  private static ExportedTrace trace() {
    ExportedSpan root = new ExportedSpan(1, 2, 3, 0, "Completions", 1_000_000_000L,
        2_500_000_000L, ExportedSpan.STATUS_OK, "", Map.of("mlflow.spanType", "CHAT_MODEL"),
        List.of());
    return new ExportedTrace("tr-00000000000000010000000000000002", "0", 1_000_000_000L,
        1_500_000_000L, "OK", "q", "a", Map.of("mlflow.trace_schema.version", "3"),
        Map.of("mlflow.traceName", "Completions"), List.of(root));
  }

  @Test
  void writesOneWholeFilePerTraceAndLeavesNoTemporaryFile() throws Exception {
    LocalFolderSink sink = new LocalFolderSink(folder.resolve("nested/traces"));
    sink.export(trace());

    Path written = folder.resolve("nested/traces/tr-00000000000000010000000000000002.json");
    try (Stream<Path> files = Files.list(written.getParent())) {
      assertEquals(List.of(written), files.collect(Collectors.toList()));
    }
    JsonNode trace = JsonCodec.mapper().readTree(written.toFile());
    assertEquals(1500, trace.at("/info/execution_duration_ms").asLong());
    assertEquals("1970-01-01T00:00:01.000Z", trace.at("/info/request_time").asText());
    assertEquals("\"CHAT_MODEL\"", trace.at("/data/spans/0/attributes/mlflow.spanType").asText());
    assertEquals(1, sink.written());
  }

  @Test
  void theFilesAndTheFoldersItCreatesAreReadableByTheirOwnerOnly() throws Exception {
    Files.createDirectory(folder.resolve("nested"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-x---")));
    new LocalFolderSink(folder.resolve("nested/traces")).export(trace());

    assertEquals("rwxr-x---", permissions(folder.resolve("nested")), "the user's own folder");
    assertEquals("rwx------", permissions(folder.resolve("nested/traces")));
    assertEquals("rw-------",
        permissions(folder.resolve("nested/traces/tr-00000000000000010000000000000002.json")));
  }

  private static String permissions(Path path) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }

  @Test
  void aFolderThatCannotBeWrittenFallsBackToAWritableOne() throws Exception {
    Path notAFolder = Files.writeString(folder.resolve("a-file"), "x");
    Path fallback = folder.resolve("fallback");
    LocalFolderSink sink = new LocalFolderSink(notAFolder.resolve("traces"), fallback);

    sink.export(trace());
    sink.export(trace());

    assertEquals(fallback, sink.folder());
    assertEquals(2, sink.written());
    assertEquals(true,
        Files.exists(fallback.resolve("tr-00000000000000010000000000000002.json")));
  }

  @Test
  void traceFilesAreReadableByTheirOwnerOnly() throws Exception {
    LocalFolderSink sink = new LocalFolderSink(folder);
    sink.export(trace());
    assertEquals(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"),
        Files.getPosixFilePermissions(folder.resolve("tr-00000000000000010000000000000002.json")));
  }

  @Test
  void aFolderRemovedWhileTheAgentRunsIsCreatedAgainPrivate() throws Exception {
    Path traces = folder.resolve("traces");
    LocalFolderSink sink = new LocalFolderSink(traces);
    sink.export(trace());
    Path written = traces.resolve("tr-00000000000000010000000000000002.json");
    Files.delete(written);
    Files.delete(traces); // someone cleaned up the folder

    sink.export(trace());

    assertEquals(traces, sink.folder());
    assertEquals(2, sink.written());
    assertEquals("rwx------", permissions(traces));
    assertEquals("rw-------", permissions(written));
    try (Stream<Path> files = Files.list(traces)) {
      assertEquals(List.of(written), files.collect(Collectors.toList()), "no temporary file left");
    }
  }

  @Test
  void aTraceWrittenAgainReplacesItsFileWhole() throws Exception {
    LocalFolderSink sink = new LocalFolderSink(folder);
    sink.export(trace());
    sink.export(trace());

    try (Stream<Path> files = Files.list(folder)) {
      assertEquals(List.of(folder.resolve("tr-00000000000000010000000000000002.json")),
          files.collect(Collectors.toList()));
    }
  }

  @Test
  void aFileWhoseWritingFailsHalfwayLeavesNeitherItNorItsTemporaryFile() throws Exception {
    Path target = folder.resolve("tr-00000000000000000000000000000003.json");
    IOException diskFull = new IOException("No space left on device");

    IOException thrown = assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
      out.write("{\"info\":".getBytes(StandardCharsets.UTF_8));
      throw diskFull;
    }));

    assertSame(diskFull, thrown);
    try (Stream<Path> files = Files.list(folder)) {
      assertEquals(List.of(), files.collect(Collectors.toList()));
    }
  }
}
