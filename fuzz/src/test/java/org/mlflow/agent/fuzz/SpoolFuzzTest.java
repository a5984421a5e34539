package org.mlflow.agent.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.mlflow.agent.sink.Spool;

/**
 * Any file in the spool folder: reading the spool never throws, a file is only taken as a trace
 * when it is a whole trace document, and a trace file cut anywhere (a writer killed mid-write) is
 * never taken as one.
 */
class SpoolFuzzTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TRACE_ID = "tr-0123456789abcdef0123456789abcdef";

  @FuzzTest(maxDuration = "30s")
  void anyFileInTheSpool(byte[] content) throws IOException {
    Path folder = Files.createTempDirectory("spool-fuzz-");
    try {
      Files.write(folder.resolve(TRACE_ID + ".json"), content);
      Spool spool = new Spool(folder, 1 << 20);
      List<Path> pending = spool.pending();
      assertEquals(1, pending.size());

      Spool.Claim claim = spool.claim(pending.get(0));

      if (claim != null) {
        JsonNode trace = JSON.readTree(content);
        assertTrue(trace.path("info").path("trace_id").isTextual()
            && trace.path("data").isObject(), "only a whole trace document is taken");
        assertEquals(trace.path("info").path("trace_id").asText(), claim.traceId());
        claim.release();
      }
    } finally {
      TempFolders.deleteTree(folder);
    }
  }

  @FuzzTest(maxDuration = "30s")
  void aTraceFileCutAnywhereIsNeverATrace(FuzzedDataProvider data) throws IOException {
    Path folder = Files.createTempDirectory("spool-fuzz-");
    try {
      Spool writer = new Spool(folder, 1 << 20);
      String spans = "{\"spans\":[{\"name\":\"" + data.consumeString(30).replace("\"", "")
          .replace("\\", "") + "\"}]}";
      writer.store(TRACE_ID, Map.of("trace_id", TRACE_ID, "state", "OK"),
          spans.getBytes(StandardCharsets.UTF_8));
      Path file = folder.resolve(TRACE_ID + ".json");
      byte[] whole = Files.readAllBytes(file);
      int cut = data.consumeInt(0, whole.length - 1);
      Files.write(file, Arrays.copyOf(whole, cut));
      Files.write(folder.resolve("." + TRACE_ID + ".json-123.tmp"), whole); // a writer's temp file

      Spool reader = new Spool(folder, 1 << 20);
      List<Path> pending = reader.pending();
      assertEquals(List.of(file), pending, "a hidden temporary file is never listed");
      assertNull(reader.claim(file), "a trace cut at " + cut + " of " + whole.length);
      assertNotNull(Files.list(folder.resolve("corrupt")).findFirst().orElse(null),
          "the cut file is moved aside");
    } finally {
      TempFolders.deleteTree(folder);
    }
  }
}
