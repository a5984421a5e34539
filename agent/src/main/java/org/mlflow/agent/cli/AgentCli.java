package org.mlflow.agent.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.mlflow.agent.AgentJar;
import org.mlflow.agent.config.AgentConfig;
import org.mlflow.agent.config.SettingSource;
import org.mlflow.agent.core.KnownSecrets;
import org.mlflow.agent.export.JsonCodec;
import org.mlflow.agent.sink.MlflowRestClient;
import org.mlflow.agent.sink.LocalFolderSink;

/**
 * {@code java -jar mlflow-tracing-agent.jar <command>}: small tools around the agent.
 *
 * <ul>
 *   <li>{@code show [folder]}: prints the traces in a traces folder as span trees;
 *   <li>{@code upload [folder]}: sends the traces in a traces folder to the MLflow server the
 *       usual variables name ({@code MLFLOW_TRACKING_URI}, {@code MLFLOW_EXPERIMENT_ID}, ...) and
 *       moves each one sent into the folder's {@code uploaded/} subfolder;
 *   <li>{@code doctor}: checks the settings, the traces folder and the server, one line each;
 *   <li>{@code version}: prints the agent version.
 * </ul>
 */
public final class AgentCli {

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
  private static final int MAX_NAME_CHARS = 200;
  private static final int MAX_REASON_CHARS = 500;
  private static final int MAX_VALUE_CHARS = 500;
  /** Deeper spans are printed at this indent, so a file nesting thousands stays readable. */
  private static final int MAX_INDENT = 40;

  private AgentCli() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** The command's exit code; what it says goes to {@code out}, problems to {@code err}. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    String command = args.length == 0 ? "help" : args[0];
    switch (command) {
      case "show":
        return show(Paths.get(args.length > 1 ? args[1] : "mlflow-traces"), out, err);
      case "upload":
        return upload(Paths.get(args.length > 1 ? args[1] : "mlflow-traces"), out, err);
      case "doctor":
        return Doctor.run(SettingSource.fromThisJvm(), List.of(), out);
      case "version":
        out.println("mlflow-tracing-agent " + AgentJar.version());
        return 0;
      default:
        err.println("usage: java -jar mlflow-tracing-agent.jar show [folder]   print the traces"
            + " in a traces folder (default ./mlflow-traces)");
        err.println("       java -jar mlflow-tracing-agent.jar upload [folder] send them to the"
            + " MLflow server in MLFLOW_TRACKING_URI");
        err.println("       java -jar mlflow-tracing-agent.jar doctor         check the settings"
            + " and the server, and say what is wrong");
        err.println("       java -jar mlflow-tracing-agent.jar version       print the version");
        err.println("As an agent: java -javaagent:mlflow-tracing-agent.jar -jar your-app.jar");
        return "help".equals(command) ? 0 : 2;
    }
  }

  static int upload(Path folder, PrintStream out, PrintStream err) {
    SettingSource settings = SettingSource.fromThisJvm();
    AgentConfig config = AgentConfig.load(settings, List.of());
    config.problems().forEach(err::println);
    MlflowRestClient server = MlflowRestClient.forConfig(config);
    if (server == null) {
      err.println("MLFLOW_TRACKING_URI is not set: set it to the http(s):// address of an MLflow"
          + " tracking server (and MLFLOW_EXPERIMENT_ID or MLFLOW_EXPERIMENT_NAME), then run"
          + " upload again.");
      return 2;
    }
    List<Path> files = traceFiles(folder, err);
    if (files == null) {
      return 1;
    }
    // The server's refusal may quote the credential it refused.
    Pattern credentials = KnownSecrets.pattern(config, settings);
    int failed = 0;
    Path uploaded = folder.resolve("uploaded");
    for (Path file : files) {
      String name = TraceFile.oneLine(file.getFileName().toString(), MAX_NAME_CHARS);
      try {
        JsonNode trace = TraceFile.read(file);
        Map<String, Object> info = JsonCodec.mapper().convertValue(trace.get("info"), MAP);
        String traceId = trace.get("info").get("trace_id").textValue();
        server.send(traceId, info, JsonCodec.mapper().writeValueAsBytes(trace.get("data")));
        Files.createDirectories(uploaded);
        Files.move(file, uploaded.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        out.println("uploaded " + traceId);
      } catch (TraceFile.NotATrace notATrace) {
        err.println("not uploaded " + name + ": not a trace file (" + notATrace.getMessage() + ")");
        failed++;
      } catch (IOException | RuntimeException failure) {
        String reason = String.valueOf(failure.getMessage());
        if (credentials != null) {
          reason = credentials.matcher(reason).replaceAll("[REDACTED]");
        }
        err.println("not uploaded " + name + ": " + TraceFile.oneLine(reason, MAX_REASON_CHARS));
        failed++;
      }
    }
    out.println((files.size() - failed) + " trace(s) uploaded to " + server.describe()
        + (failed == 0 ? "" : "; " + failed + " not uploaded (still in " + folder + ")"));
    server.close();
    return failed == 0 ? 0 : 1;
  }

  /** The trace files of a folder, or null (after saying why) when it cannot be listed. */
  private static List<Path> traceFiles(Path folder, PrintStream err) {
    if (!Files.isDirectory(folder)) {
      err.println("no traces folder at " + folder.toAbsolutePath());
      return null;
    }
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> traces =
        Files.newDirectoryStream(folder, "tr-*" + LocalFolderSink.FILE_SUFFIX)) {
      traces.forEach(files::add);
    } catch (IOException failure) {
      err.println("cannot list " + folder.toAbsolutePath() + ": " + failure.getMessage());
      return null;
    }
    files.sort(null);
    return files;
  }

  static int show(Path folder, PrintStream out, PrintStream err) {
    List<Path> files = traceFiles(folder, err);
    if (files == null) {
      return 1;
    }
    List<JsonNode> traces = new ArrayList<>();
    int unreadable = 0;
    for (Path file : files) {
      try {
        traces.add(TraceFile.read(file));
      } catch (TraceFile.NotATrace notATrace) {
        err.println("skipping " + TraceFile.oneLine(file.getFileName().toString(), MAX_NAME_CHARS)
            + ": not a trace file (" + notATrace.getMessage() + ")");
        unreadable++;
      }
    }
    traces.sort(Comparator.comparing(trace -> trace.path("info").path("request_time").asText()));
    traces.forEach(trace -> printTrace(trace, out));
    out.println(traces.size() + " trace(s) in " + folder.toAbsolutePath());
    return unreadable == 0 ? 0 : 1;
  }

  private static void printTrace(JsonNode trace, PrintStream out) {
    JsonNode info = trace.get("info");
    JsonNode usage = parse(info.path("trace_metadata").path("mlflow.trace.tokenUsage").asText(""));
    out.println(text(info.path("trace_id")) + "  " + text(info.path("state")) + "  "
        + info.path("execution_duration_ms").asLong() + " ms"
        + (usage == null ? "" : "  tokens " + usage.path("input_tokens").asLong() + " in / "
            + usage.path("output_tokens").asLong() + " out")
        + "  " + text(info.path("request_time")));
    Map<String, List<JsonNode>> children = new HashMap<>();
    List<JsonNode> roots = new ArrayList<>();
    for (JsonNode span : trace.path("data").path("spans")) {
      if (span.path("parent_span_id").isNull() || span.path("parent_span_id").isMissingNode()) {
        roots.add(span);
      } else {
        children.computeIfAbsent(span.path("parent_span_id").asText(), k -> new ArrayList<>())
            .add(span);
      }
    }
    // Depth first without recursion, each span once and each span id's children once: a file may
    // nest spans deeper than the stack goes, name a span its own ancestor, or repeat span ids.
    Set<JsonNode> printed = Collections.newSetFromMap(new IdentityHashMap<>());
    Set<String> expanded = new HashSet<>();
    Deque<Map.Entry<JsonNode, Integer>> pending = new ArrayDeque<>();
    for (int i = roots.size() - 1; i >= 0; i--) {
      pending.push(Map.entry(roots.get(i), 1));
    }
    while (!pending.isEmpty()) {
      Map.Entry<JsonNode, Integer> next = pending.pop();
      JsonNode span = next.getKey();
      if (!printed.add(span)) {
        continue;
      }
      printSpan(span, "  ".repeat(Math.min(next.getValue(), MAX_INDENT)), out);
      String spanId = span.path("span_id").asText();
      List<JsonNode> below = expanded.add(spanId)
          ? children.getOrDefault(spanId, List.of()) : List.of();
      for (int i = below.size() - 1; i >= 0; i--) {
        pending.push(Map.entry(below.get(i), next.getValue() + 1));
      }
    }
  }

  private static void printSpan(JsonNode span, String indent, PrintStream out) {
    JsonNode attributes = span.path("attributes");
    JsonNode type = parse(attributes.path("mlflow.spanType").asText(""));
    JsonNode model = parse(attributes.path("mlflow.llm.model").asText(""));
    long micros = (span.path("end_time_unix_nano").asLong()
        - span.path("start_time_unix_nano").asLong()) / 1000;
    String status = text(span.path("status").path("code")).replace("STATUS_CODE_", "");
    out.println(indent + text(span.path("name")) + " [" + (type == null ? "?" : text(type))
        + "] " + status + " " + (micros / 1000.0) + " ms"
        + (model == null ? "" : " model=" + text(model)));
  }

  /** A value from a file, printed as one line whatever it holds. */
  private static String text(JsonNode value) {
    return TraceFile.oneLine(value.asText(), MAX_VALUE_CHARS);
  }

  /** Span attributes and some metadata hold JSON text; null when absent or not JSON. */
  private static JsonNode parse(String json) {
    if (json.isEmpty()) {
      return null;
    }
    try {
      return JsonCodec.mapper().readTree(json);
    } catch (IOException notJson) {
      return null;
    }
  }
}
