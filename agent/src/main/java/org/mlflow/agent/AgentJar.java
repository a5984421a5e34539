package org.mlflow.agent;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.CodeSource;

/** Facts about the agent jar itself, for log lines that tell the user what to run next. */
public final class AgentJar {

  private AgentJar() {}

  /** The version from the jar's manifest, or {@code dev} when running from classes. */
  public static String version() {
    String version = AgentJar.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }

  /** The agent jar's path, or its usual name when it cannot be told. */
  public static String path() {
    try {
      CodeSource source = AgentJar.class.getProtectionDomain().getCodeSource();
      if (source != null && source.getLocation() != null) {
        Path path = Paths.get(source.getLocation().toURI());
        if (path.toString().endsWith(".jar")) {
          return path.toString();
        }
      }
    } catch (URISyntaxException | RuntimeException unknown) {
      // fall through to the usual name
    }
    return "mlflow-tracing-agent.jar";
  }
}
