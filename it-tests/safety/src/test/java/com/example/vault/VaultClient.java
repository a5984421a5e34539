package com.example.vault;

/**
 * The app's own code, traced through MLFLOW_AGENT_TRACE_METHODS: an error quoting the credentials
 * it used. Outside {@code org.mlflow.agent}, whose classes the agent never traces.
 */
public final class VaultClient {

  private VaultClient() {}

  public static void connect() {
    throw new IllegalStateException("cannot reach the vault with key "
        + System.getenv("OPENAI_API_KEY") + " and token " + System.getenv("MLFLOW_TRACKING_TOKEN"));
  }
}
