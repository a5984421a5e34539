package org.mlflow.agent.it.mlflow;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.mlflow.agent.it.mlflow.MlflowServer.Backend;

/**
 * A real MLflow server on SQLite, shared by the tests of one class: a static
 * {@code @RegisterExtension} field starts it before them (about 7 s) and stops it after them.
 */
public final class SqliteMlflowServer implements BeforeAllCallback, AfterAllCallback {

  private MlflowServer server;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    server = MlflowServer.start(Backend.SQLITE);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  public MlflowServer server() {
    return server;
  }

  /** A new experiment named {@code name} on this server. */
  public MlflowExperiment createExperiment(String name) {
    return MlflowExperiment.create(server, name);
  }
}
