package org.mlflow.agent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.config.AgentConfig;
import org.mlflow.agent.config.SettingSource;

class KnownSecretsTest {

  private static String scrub(Pattern secrets, String text) {
    return secrets.matcher(text).replaceAll("[REDACTED]");
  }

  @Test
  void theAgentsCredentialsAndEveryVariableNamedLikeOneAreFound() {
    Map<String, String> environment = Map.of(
        "MLFLOW_TRACKING_TOKEN", "mlflow-token-42",
        "MLFLOW_TRACKING_USERNAME", "alice",
        "MLFLOW_TRACKING_PASSWORD", "password-42",
        "DATABRICKS_TOKEN", "dapi-0123",
        "DATABRICKS_CLIENT_ID", "client-id",
        "DATABRICKS_CLIENT_SECRET", "client-secret-42",
        "OTEL_EXPORTER_OTLP_TRACES_HEADERS", "x-api-key=otlp-key-42,x-tenant=acme-corp",
        "OPENAI_API_KEY", "sk-openai-42",
        "AWS_SECRET_ACCESS_KEY", "aws-secret-42",
        "HOME", "/home/alice");
    Properties properties = new Properties();
    properties.setProperty("javax.net.ssl.keyStorePassword", "changeit-42");
    AgentConfig config = AgentConfig.load(new SettingSource(environment, new Properties()),
        List.of());

    Pattern secrets = KnownSecrets.pattern(config, environment, properties);

    assertEquals("[REDACTED] [REDACTED] [REDACTED] [REDACTED] [REDACTED] [REDACTED]"
            + " [REDACTED] [REDACTED] [REDACTED] [REDACTED] alice /home/alice client-id",
        scrub(secrets, "mlflow-token-42 password-42 dapi-0123 client-secret-42 otlp-key-42"
            + " acme-corp sk-openai-42 aws-secret-42 changeit-42 YWxpY2U6cGFzc3dvcmQtNDI="
            + " alice /home/alice client-id"),
        "every OTLP header value counts; the basic-auth header's base64 too; names and paths"
            + " do not");
  }

  @Test
  void aLongerSecretHoldingAShorterOneIsReplacedWhole() {
    Pattern secrets = KnownSecrets.pattern(List.of("abcdef", "abcdef-longer"));
    assertEquals("[REDACTED] and [REDACTED]", scrub(secrets, "abcdef-longer and abcdef"));
  }

  @Test
  void valuesTooShortToTellFromTextAreLeftOutAndNoneGivesNoPattern() {
    assertNull(KnownSecrets.pattern(Arrays.asList(null, "", "  ", "true", "12345")));
    assertEquals("a true 12345 [REDACTED]",
        scrub(KnownSecrets.pattern(List.of("true", "12345", "123456")), "a true 12345 123456"));
  }

  @Test
  void aSecretIsFoundAsJsonEscapesItAndRegexCharactersAreLiteral() {
    Pattern secrets = KnownSecrets.pattern(List.of("p\"a\\ss.*word"));
    assertEquals("{\"k\":\"[REDACTED]\"}", scrub(secrets, "{\"k\":\"p\\\"a\\\\ss.*word\"}"));
    assertEquals("[REDACTED] pXa\\ssXXword", scrub(secrets, "p\"a\\ss.*word pXa\\ssXXword"));
  }
}
