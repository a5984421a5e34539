package org.mlflow.agent;

import java.util.LinkedHashMap;
import java.util.Map;

/** The trace metadata MLflow's clients set about where a trace came from. */
final class SourceMetadata {

  private SourceMetadata() {}

  static Map<String, String> ofThisJvm() {
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("mlflow.source.name", sourceName(System.getProperty("sun.java.command", "")));
    metadata.put("mlflow.source.type", "LOCAL");
    String user = System.getProperty("user.name");
    if (user != null && !user.isBlank()) {
      metadata.put("mlflow.user", user);
    }
    return metadata;
  }

  /** The main class or jar the JVM runs, without its arguments (they may hold secrets). */
  static String sourceName(String javaCommand) {
    String trimmed = javaCommand.trim();
    int space = trimmed.indexOf(' ');
    String name = space < 0 ? trimmed : trimmed.substring(0, space);
    return name.isEmpty() ? "java" : name;
  }
}
