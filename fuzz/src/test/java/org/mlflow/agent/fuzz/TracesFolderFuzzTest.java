package org.mlflow.agent.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.mlflow.agent.cli.AgentCli;

/**
 * Any file in a traces folder, read by {@code show} and {@code upload}: neither throws nor prints
 * a stack trace; a file that is not a trace gets one line naming it, the good trace beside it is
 * still printed and uploaded, and no line carries a control character a file smuggled in.
 */
class TracesFolderFuzzTest {

  private static final String GOOD_ID = "tr-00000000000000000000000000000001";
  private static final String FUZZED_FILE = "tr-ffffffffffffffffffffffffffffffff.json";
  private static final String GOOD_TRACE = "{\"info\":{\"trace_id\":\"" + GOOD_ID + "\","
      + "\"request_time\":\"2026-11-23T00:00:00Z\",\"state\":\"OK\",\"execution_duration_ms\":5,"
      + "\"trace_metadata\":{\"mlflow.trace.tokenUsage\":\"{\\\"input_tokens\\\":3,"
      + "\\\"output_tokens\\\":2,\\\"total_tokens\\\":5}\"}},\"data\":{\"spans\":[{\"name\":"
      + "\"Completions\",\"span_id\":\"a\",\"parent_span_id\":null,\"start_time_unix_nano\":0,"
      + "\"end_time_unix_nano\":5000000,\"status\":{\"code\":\"STATUS_CODE_OK\"},\"attributes\":"
      + "{\"mlflow.spanType\":\"\\\"CHAT_MODEL\\\"\"}}]}}";

  /** An MLflow server that takes every upload: what fails is the file's doing. */
  private static final HttpServer MLFLOW = acceptingServer();

  private static HttpServer acceptingServer() {
    try {
      HttpServer server = HttpServer.create(
          new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext("/", exchange -> {
        try (InputStream body = exchange.getRequestBody()) {
          body.readAllBytes();
        }
        byte[] answer = (exchange.getRequestURI().getPath().endsWith("/experiments/get")
            ? "{\"experiment\":{\"experiment_id\":\"0\",\"artifact_location\":\"mlflow-artifacts:/0\"}}"
            : "{}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, answer.length);
        exchange.getResponseBody().write(answer);
        exchange.close();
      });
      server.start();
      System.setProperty("mlflow.tracking.uri",
          "http://127.0.0.1:" + server.getAddress().getPort());
      return server;
    } catch (IOException cannotStart) {
      throw new UncheckedIOException(cannotStart);
    }
  }

  @FuzzTest(maxDuration = "30s")
  void anyFileBesideAGoodTrace(byte[] content) throws IOException {
    Path folder = Files.createTempDirectory("traces-fuzz-");
    try {
      Files.writeString(folder.resolve(GOOD_ID + ".json"), GOOD_TRACE);
      Files.write(folder.resolve(FUZZED_FILE), content);
      checkShowAndUpload(folder);
    } finally {
      TempFolders.deleteTree(folder);
    }
  }

  @FuzzTest(maxDuration = "30s")
  void aTraceCutAnywhereIsOneLineAndTheGoodOneIsRead(FuzzedDataProvider data) throws IOException {
    Path folder = Files.createTempDirectory("traces-fuzz-");
    try {
      byte[] whole = GOOD_TRACE.replace(GOOD_ID, "tr-ffffffffffffffffffffffffffffffff")
          .getBytes(StandardCharsets.UTF_8);
      Files.writeString(folder.resolve(GOOD_ID + ".json"), GOOD_TRACE);
      Files.write(folder.resolve(FUZZED_FILE),
          Arrays.copyOf(whole, data.consumeInt(0, whole.length - 1)));
      assertFalse(checkShowAndUpload(folder), "a cut trace is never read as one");
    } finally {
      TempFolders.deleteTree(folder);
    }
  }

  /** @return whether the fuzzed file was read as a trace */
  private static boolean checkShowAndUpload(Path folder) throws IOException {
    Output show = run("show", folder);
    boolean isTrace = show.err.isEmpty();
    if (!isTrace) {
      assertEquals(1, show.err.size(), show.toString());
      assertTrue(show.err.get(0).startsWith("skipping " + FUZZED_FILE + ": not a trace file ("),
          show.toString());
    }
    assertEquals(isTrace ? 0 : 1, show.exitCode, show.toString());
    assertTrue(show.out.contains(GOOD_ID + "  OK  5 ms  tokens 3 in / 2 out  2026-11-23T00:00:00Z"),
        "the good trace beside it is printed: " + show);
    assertTrue(show.out.contains("  Completions [CHAT_MODEL] OK 5.0 ms"), show.toString());
    assertEquals((isTrace ? 2 : 1) + " trace(s) in " + folder.toAbsolutePath(),
        show.out.get(show.out.size() - 1), show.toString());

    Output upload;
    // Jazzer flags any connection as forgery: upload may reach the configured server, and only it.
    try (SilentCloseable toTheServer = BugDetectors.allowNetworkConnections((host, port) ->
        port == MLFLOW.getAddress().getPort()
            && (host.equals("127.0.0.1") || host.equals("localhost")))) {
      upload = run("upload", folder);
    }
    assertTrue(upload.out.contains("uploaded " + GOOD_ID), upload.toString());
    assertTrue(Files.exists(folder.resolve("uploaded").resolve(GOOD_ID + ".json")),
        upload.toString());
    if (isTrace) {
      assertEquals(List.of(), upload.err, "what show reads, upload sends: " + upload);
      assertEquals(0, upload.exitCode, upload.toString());
    } else {
      assertEquals(1, upload.err.size(), upload.toString());
      assertTrue(upload.err.get(0).startsWith("not uploaded " + FUZZED_FILE + ": "),
          upload.toString());
      assertTrue(Files.exists(folder.resolve(FUZZED_FILE)), "kept where it was: " + upload);
      assertEquals(1, upload.exitCode, upload.toString());
    }
    return isTrace;
  }

  private static Output run(String command, Path folder) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exitCode = AgentCli.run(new String[] {command, folder.toString()},
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    Output output = new Output(exitCode, lines(out), lines(err));
    for (String line : output.all()) {
      assertFalse(line.chars().anyMatch(Character::isISOControl),
          "a line with a control character: " + output);
      assertFalse(line.startsWith("\tat ") || line.contains("Exception in thread"),
          "a stack trace: " + output);
    }
    return output;
  }

  private static List<String> lines(ByteArrayOutputStream printed) {
    String text = printed.toString(StandardCharsets.UTF_8);
    return text.isEmpty() ? List.of() : Arrays.asList(text.split(System.lineSeparator(), -1))
        .subList(0, text.split(System.lineSeparator(), -1).length - 1);
  }

  private static final class Output {
    final int exitCode;
    final List<String> out;
    final List<String> err;

    Output(int exitCode, List<String> out, List<String> err) {
      this.exitCode = exitCode;
      this.out = out;
      this.err = err;
    }

    List<String> all() {
      return Stream.concat(out.stream(), err.stream()).collect(Collectors.toList());
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\nout:\n" + String.join("\n", out) + "\nerr:\n"
          + String.join("\n", err);
    }
  }
}
