package org.mlflow.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceFileTest {

  @TempDir
  Path folder;

  @Test
  void aHugeFileIsNotReadAndShowSaysSoInOneLineAndPrintsTheOthers() throws Exception {
    Path huge = folder.resolve("tr-ffffffffffffffffffffffffffffffff.json");
    try (RandomAccessFile file = new RandomAccessFile(huge.toFile(), "rw")) {
      file.setLength(TraceFile.MAX_BYTES + 1); // sparse: nothing is written
    }
    Files.writeString(folder.resolve("tr-00000000000000000000000000000001.json"),
        "{\"info\":{\"trace_id\":\"tr-00000000000000000000000000000001\",\"state\":\"OK\"},"
            + "\"data\":{\"spans\":[]}}");

    TraceFile.NotATrace refused = assertThrows(TraceFile.NotATrace.class,
        () -> TraceFile.read(huge));
    assertEquals("268435457 bytes, more than the 256 MB a trace file may have",
        refused.getMessage());

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertEquals(1, AgentCli.run(new String[] {"show", folder.toString()},
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8)));
    assertEquals("skipping tr-ffffffffffffffffffffffffffffffff.json: not a trace file (268435457"
        + " bytes, more than the 256 MB a trace file may have)" + System.lineSeparator(),
        err.toString(StandardCharsets.UTF_8));
    assertTrue(out.toString(StandardCharsets.UTF_8)
        .startsWith("tr-00000000000000000000000000000001  OK"), out.toString());
  }

  @Test
  void aReasonIsOneLineWithoutControlCharactersAndCut() {
    assertEquals("a\\u000ab\\u001b[31m\\u202ec", TraceFile.oneLine("a\nb\u001b[31m\u202ec", 100));
    assertEquals("abc...", TraceFile.oneLine("abcdef", 3));
    assertEquals("abc", TraceFile.oneLine("abc", 3));
  }

  @Test
  void malformedJsonIsNamedWithWhereWithoutJacksonsMultiLineSource() throws Exception {
    Path cut = folder.resolve("tr-1.json");
    Files.writeString(cut, "{\"info\":\n{\"trace_id\":");
    String reason = assertThrows(TraceFile.NotATrace.class, () -> TraceFile.read(cut))
        .getMessage();
    assertTrue(reason.startsWith("not JSON: Unexpected end-of-input"), reason);
    assertTrue(reason.endsWith("(line 2, column 13)"), reason);
    assertTrue(!reason.contains("\n"), reason);
  }
}
