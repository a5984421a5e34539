package org.mlflow.agent.benchmarks.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a JMH result file ({@code -rf json -rff results.json}) and prints the comparisons the
 * issue's targets are stated in, each against its baseline from the same run: our app-thread path
 * against OpenTelemetry's, unrecorded calls against the empty benchmark loop, our ring against
 * JCTools, and rendering in MB/s. A comparison whose benchmarks are not in the file is skipped.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar
 * org.mlflow.agent.benchmarks.report.JmhReport results.json}
 */
public final class JmhReport {

  private final Map<String, JsonNode> results = new TreeMap<>();
  private final StringBuilder out = new StringBuilder();

  private JmhReport(JsonNode root) {
    for (JsonNode result : root) {
      String name = result.get("benchmark").asText().replaceAll(".*\\.(\\w+\\.\\w+)$", "$1");
      StringBuilder key = new StringBuilder(name);
      JsonNode params = result.get("params");
      if (params != null) {
        Iterator<Map.Entry<String, JsonNode>> fields = params.fields();
        while (fields.hasNext()) {
          Map.Entry<String, JsonNode> param = fields.next();
          key.append(' ').append(param.getKey()).append('=').append(param.getValue().asText());
        }
      }
      results.put(key.toString(), result);
    }
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: JmhReport <jmh results.json>");
    }
    Path file = Paths.get(args[0]);
    JmhReport report = new JmhReport(new ObjectMapper().readTree(file.toFile()));
    System.out.print(report.markdown(file));
  }

  private String markdown(Path file) {
    out.append("## Micro benchmarks (JMH, ").append(file.getFileName()).append(")\n");
    if (has("AppPathBenchmark.")) {
      appPath();
    }
    if (has("UnrecordedCallBenchmark.")) {
      unrecorded();
    }
    if (has("RingBenchmark.")) {
      ring();
    }
    if (has("RenderBenchmark.")) {
      rendering();
    }
    return out.toString();
  }

  private void appPath() {
    section("App-thread path of one traced call",
        "| benchmark | ns/op (mean) | ns/op (median of iterations) | B/op, all threads |");
    for (String name : List.of("AppPathBenchmark.mlflowRingOnly", "AppPathBenchmark.mlflow",
        "AppPathBenchmark.otel", "AppPathBenchmark.otelWithScope")) {
      JsonNode result = results.get(name);
      if (result != null) {
        row(name, score(result), median(result), allocation(result));
      }
    }
    out.append('\n');
    ratio("ours / OTel (target < 0.5)", "AppPathBenchmark.mlflowRingOnly", "AppPathBenchmark.otel");
    ratio("ours, real exporter / OTel", "AppPathBenchmark.mlflow", "AppPathBenchmark.otel");
    ratio("ours / OTel with scope", "AppPathBenchmark.mlflowRingOnly",
        "AppPathBenchmark.otelWithScope");
    target("ours, median (target < 100 ns)",
        results.get("AppPathBenchmark.mlflowRingOnly"), JmhReport::median, "ns");
    target("ours, bytes per span on the app thread (target < 200 B)",
        results.get("AppPathBenchmark.mlflowRingOnly"), JmhReport::allocation, "B");
  }

  private void unrecorded() {
    section("Calls that are not recorded (target < 10 ns, no allocation)",
        "| benchmark | ns/op (mean) | ns/op minus baseline | B/op |");
    JsonNode baseline = results.get("UnrecordedCallBenchmark.baseline");
    for (String name : List.of("UnrecordedCallBenchmark.baseline",
        "UnrecordedCallBenchmark.unsampled", "UnrecordedCallBenchmark.notInstalled")) {
      JsonNode result = results.get(name);
      if (result != null) {
        row(name, score(result),
            baseline == null ? Double.NaN : score(result) - score(baseline), allocation(result));
      }
    }
  }

  private void ring() {
    section("SpanRing beside JCTools MpscArrayQueue, same capacity (target: within 1.2x)",
        "| producers | ours transferred/µs | JCTools transferred/µs | JCTools / ours"
            + " | ours dropped/µs | JCTools dropped/µs |");
    for (int producers : new int[] {1, 2, 4}) {
      JsonNode ours = find("RingBenchmark.ours" + producers + "p");
      JsonNode jctools = find("RingBenchmark.jctools" + producers + "p");
      if (ours != null && jctools != null) {
        double oursRate = secondary(ours, "transferred");
        double jctoolsRate = secondary(jctools, "transferred");
        row(String.valueOf(producers), oursRate, jctoolsRate, jctoolsRate / oursRate,
            secondary(ours, "dropped"), secondary(jctools, "dropped"));
      }
    }
    JsonNode oursFull = find("RingBenchmark.oursFullDrop");
    JsonNode jctoolsFull = find("RingBenchmark.jctoolsFullDrop");
    JsonNode jctoolsCounted = find("RingBenchmark.jctoolsFullDropCounted");
    if (oursFull != null && jctoolsFull != null && jctoolsCounted != null) {
      out.append("\nFull ring, offers dropped per µs: ours (counted) ")
          .append(format(score(oursFull)))
          .append(", JCTools counted in a LongAdder ").append(format(score(jctoolsCounted)))
          .append(" (JCTools / ours ").append(format(score(jctoolsCounted) / score(oursFull)))
          .append("), JCTools uncounted ").append(format(score(jctoolsFull)))
          .append(" (JCTools / ours ").append(format(score(jctoolsFull) / score(oursFull)))
          .append(")\n");
    }
  }

  private void rendering() {
    section("Off-thread rendering of a chat span (render + trace + JSON bytes)",
        "| call bytes | maxContentChars | calls/s | MB/s of call content |");
    for (Map.Entry<String, JsonNode> entry : results.entrySet()) {
      if (!entry.getKey().startsWith("RenderBenchmark.")) {
        continue;
      }
      JsonNode params = entry.getValue().get("params");
      int callBytes = params.get("callBytes").asInt();
      double callsPerSecond = score(entry.getValue());
      row(String.valueOf(callBytes), params.get("maxContentChars").asText(), callsPerSecond,
          callsPerSecond * callBytes / 1e6);
    }
  }

  private boolean has(String benchmarkClass) {
    return results.keySet().stream().anyMatch(name -> name.startsWith(benchmarkClass));
  }

  private JsonNode find(String name) {
    return results.entrySet().stream()
        .filter(entry -> entry.getKey().equals(name) || entry.getKey().startsWith(name + " "))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElse(null);
  }

  private void section(String title, String header) {
    out.append("\n### ").append(title).append("\n\n").append(header).append('\n')
        .append(header.replaceAll("[^|]+", "---")).append('\n');
  }

  private void row(String name, Object... cells) {
    List<String> formatted = new ArrayList<>();
    formatted.add(name);
    for (Object cell : cells) {
      formatted.add(cell instanceof Double ? format((Double) cell) : String.valueOf(cell));
    }
    out.append("| ").append(String.join(" | ", formatted)).append(" |\n");
  }

  private void ratio(String label, String numerator, String denominator) {
    JsonNode top = results.get(numerator);
    JsonNode bottom = results.get(denominator);
    if (top != null && bottom != null) {
      out.append("- ").append(label).append(": ").append(format(score(top) / score(bottom)))
          .append('\n');
    }
  }

  private void target(String label, JsonNode result, Metric metric, String unit) {
    if (result != null) {
      out.append("- ").append(label).append(": ").append(format(metric.of(result))).append(' ')
          .append(unit).append('\n');
    }
  }

  private static double score(JsonNode result) {
    return result.get("primaryMetric").get("score").asDouble();
  }

  private static double median(JsonNode result) {
    return result.get("primaryMetric").get("scorePercentiles").get("50.0").asDouble();
  }

  /** {@code gc.alloc.rate.norm} from {@code -prof gc}; NaN when the run had no profiler. */
  private static double allocation(JsonNode result) {
    return secondary(result, "gc.alloc.rate.norm");
  }

  private static double secondary(JsonNode result, String name) {
    JsonNode metric = result.path("secondaryMetrics").get(name);
    return metric == null ? Double.NaN : metric.get("score").asDouble();
  }

  private static String format(double value) {
    if (Double.isNaN(value)) {
      return "n/a";
    }
    return String.format(Locale.ROOT, Math.abs(value) >= 100 ? "%.0f" : "%.3g", value);
  }

  private interface Metric {
    double of(JsonNode result);
  }
}
