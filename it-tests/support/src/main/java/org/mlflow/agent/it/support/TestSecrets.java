package org.mlflow.agent.it.support;

import java.util.List;

/**
 * The fake credentials the forked apps use, distinctive so that a scan of everything the agent
 * wrote (trace files, spools, its log lines) can prove none of them leaked. Each holds
 * {@link #MARKER}. Compile-time constants: javac copies them into the apps that use them, so the
 * forked apps need not have this class on their class path.
 */
public final class TestSecrets {

  public static final String MARKER = "SECRET";

  public static final String OPENAI_API_KEY = "sk-test-SECRET-0123456789abcdef";
  public static final String ANTHROPIC_API_KEY = "sk-ant-test-SECRET-0123456789abcdef";
  public static final String GEMINI_API_KEY = "AIzaSy-test-SECRET-0123456789abcdef";
  public static final String AZURE_API_KEY = "azure-SECRET-key-0123456789";
  public static final String AWS_SECRET_ACCESS_KEY = "aws-SECRET-access-key-0123456789";
  public static final String MLFLOW_TOKEN = "mlflow-token-SECRET-42";
  public static final String MLFLOW_PASSWORD = "mlflow-password-SECRET-42";
  public static final String DATABRICKS_TOKEN = "dapi-test-SECRET-0123456789";
  public static final String DATABRICKS_CLIENT_SECRET = "dose-test-SECRET-client-0123";
  /** The value of a header in OTEL_EXPORTER_OTLP_TRACES_HEADERS (a collector's API key). */
  public static final String OTLP_HEADER_VALUE = "otlp-key-SECRET-0123456789";

  public static final List<String> ALL = List.of(OPENAI_API_KEY, ANTHROPIC_API_KEY,
      GEMINI_API_KEY, AZURE_API_KEY, AWS_SECRET_ACCESS_KEY, MLFLOW_TOKEN, MLFLOW_PASSWORD,
      DATABRICKS_TOKEN, DATABRICKS_CLIENT_SECRET, OTLP_HEADER_VALUE);

  private TestSecrets() {}
}
