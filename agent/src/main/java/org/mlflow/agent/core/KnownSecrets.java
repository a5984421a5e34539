package org.mlflow.agent.core;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Pattern;
import org.mlflow.agent.config.AgentConfig;
import org.mlflow.agent.config.SettingSource;
import org.mlflow.agent.export.JsonCodec;

/**
 * The credentials this JVM can see, as one pattern that finds any of them in text: the agent's
 * own (tracking token and password, Databricks token and client secret, the values of the OTLP
 * headers) and any environment variable or system property named like a credential (a provider's
 * API key, a cloud secret), whose value an error message may echo. The agent replaces them in all
 * it writes: span texts ({@link ContentPolicy}) and its log lines ({@code AgentLog}).
 *
 * <p>Values shorter than {@link #MIN_CHARS} are left out: replacing such a short string wherever
 * it occurs would garble ordinary text, and a credential is longer.
 */
public final class KnownSecrets {

  static final int MIN_CHARS = 6;

  private static final Pattern CREDENTIAL_NAME =
      Pattern.compile("(?i).*(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL).*");

  private KnownSecrets() {}

  /** The credentials of this configuration and of the settings it was read from; null: none. */
  public static Pattern pattern(AgentConfig config, SettingSource settings) {
    return pattern(config, settings.environment(), settings.systemProperties());
  }

  /** The credentials of this configuration and JVM; null when there are none. */
  public static Pattern pattern(AgentConfig config, Map<String, String> environment,
      Properties systemProperties) {
    List<String> values = new ArrayList<>();
    values.add(config.trackingToken());
    values.add(config.trackingPassword());
    values.add(config.databricksToken());
    values.add(config.databricksClientSecret());
    values.addAll(config.otlpHeaders().values());
    if (config.trackingUsername() != null && config.trackingPassword() != null) {
      // The Authorization header's value: the password, readable to anyone who decodes it.
      values.add(Base64.getEncoder().encodeToString((config.trackingUsername() + ":"
          + config.trackingPassword()).getBytes(StandardCharsets.UTF_8)));
    }
    environment.forEach((name, value) -> {
      if (CREDENTIAL_NAME.matcher(name).matches()) {
        values.add(value);
      }
    });
    systemProperties.stringPropertyNames().forEach(name -> {
      if (CREDENTIAL_NAME.matcher(name).matches()) {
        values.add(systemProperties.getProperty(name));
      }
    });
    return pattern(values);
  }

  /**
   * A pattern matching any of the values, longest first (so a secret holding another is replaced
   * whole), each also as JSON escapes it; null when no value is long enough.
   */
  static Pattern pattern(List<String> values) {
    Set<String> kept = new LinkedHashSet<>();
    for (String value : values) {
      if (value != null && value.trim().length() >= MIN_CHARS) {
        kept.add(value.trim());
        String json = JsonCodec.write(value.trim());
        kept.add(json.substring(1, json.length() - 1));
      }
    }
    if (kept.isEmpty()) {
      return null;
    }
    List<String> longestFirst = new ArrayList<>(kept);
    longestFirst.sort(Comparator.comparingInt(String::length).reversed());
    StringJoiner alternatives = new StringJoiner("|");
    longestFirst.forEach(value -> alternatives.add(Pattern.quote(value)));
    return Pattern.compile(alternatives.toString());
  }
}
