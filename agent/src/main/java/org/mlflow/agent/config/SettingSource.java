package org.mlflow.agent.config;

import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Where settings come from: environment variables, each with a JVM system property twin (the
 * variable name in lower case with {@code _} as {@code .}: {@code MLFLOW_AGENT_TRACES_DIR} and
 * {@code -Dmlflow.agent.traces.dir}). The system property wins, being the more specific of the two.
 */
public final class SettingSource {

  private final Map<String, String> environment;
  private final Properties systemProperties;

  public SettingSource(Map<String, String> environment, Properties systemProperties) {
    this.environment = environment;
    this.systemProperties = systemProperties;
  }

  public static SettingSource fromThisJvm() {
    return new SettingSource(System.getenv(), System.getProperties());
  }

  /** The environment variables read, for finding the credentials among them. */
  public Map<String, String> environment() {
    return environment;
  }

  /** The system properties read, for finding the credentials among them. */
  public Properties systemProperties() {
    return systemProperties;
  }

  public static String propertyName(String variable) {
    return variable.toLowerCase(Locale.ROOT).replace('_', '.');
  }

  /** The raw value, trimmed, or null when unset or blank. */
  public String raw(String variable) {
    String value = systemProperties.getProperty(propertyName(variable));
    if (value == null) {
      value = environment.get(variable);
    }
    if (value == null || value.isBlank()) {
      return null;
    }
    return value.trim();
  }
}
