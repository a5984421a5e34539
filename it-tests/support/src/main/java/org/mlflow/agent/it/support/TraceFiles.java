package org.mlflow.agent.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Reads the trace files the agent wrote to a traces folder, as a user's tools would. */
public final class TraceFiles {

  public static final ObjectMapper JSON = new ObjectMapper();

  private TraceFiles() {}

  /** Every {@code tr-*.json} in the folder, parsed, in the order their root spans started. */
  public static List<JsonNode> read(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files
          .filter(f -> f.getFileName().toString().matches("tr-[0-9a-f]{32}\\.json"))
          .map(TraceFiles::parse)
          .sorted(Comparator.comparingLong(
              t -> t.path("data").path("spans").path(0).path("start_time_unix_nano").asLong()))
          .collect(Collectors.toList());
    }
  }

  /** All bytes of every file in the folder, for secret scans. */
  public static String allText(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      return "";
    }
    StringBuilder text = new StringBuilder();
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        text.append(Files.readString(file));
      }
    }
    return text.toString();
  }

  /** A span attribute: MLflow stores each value as JSON text, so it is parsed once more. */
  public static JsonNode attribute(JsonNode span, String key) {
    JsonNode text = span.path("attributes").get(key);
    return text == null ? null : parseJson(text.asText());
  }

  public static JsonNode parseJson(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException invalid) {
      throw new UncheckedIOException(invalid);
    }
  }

  private static JsonNode parse(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException invalid) {
      throw new UncheckedIOException(file + " is not JSON", invalid);
    }
  }
}
