package org.mlflow.agent.it.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.mlflow.agent.it.support.ForkedApp;
import org.mlflow.agent.it.support.TraceFiles;

/**
 * An experiment on a real MLflow server, as a real-server test uses it: forked apps whose agent
 * sends their traces there, and the traces read back with MLflow's own Python client.
 */
public final class MlflowExperiment {

  private final MlflowServer server;
  private final String id;

  private MlflowExperiment(MlflowServer server, String id) {
    this.server = server;
    this.id = id;
  }

  /** A new experiment named {@code name} on {@code server}. */
  public static MlflowExperiment create(MlflowServer server, String name) {
    return new MlflowExperiment(server, server.createExperiment(name));
  }

  public MlflowServer server() {
    return server;
  }

  public String id() {
    return id;
  }

  /** The forked app {@code mainClass}, its agent sending its traces to this experiment. */
  public ForkedApp app(Class<?> mainClass) {
    return sending(ForkedApp.of(mainClass));
  }

  /**
   * {@code command} sending its traces to this experiment, with the exit time a fresh SQL
   * server's first span export needs.
   */
  public ForkedApp sending(ForkedApp command) {
    return command
        .env("MLFLOW_TRACKING_URI", server.trackingUri())
        .env("MLFLOW_AGENT_FLUSH_TIMEOUT_SECONDS", "60")
        .env("MLFLOW_EXPERIMENT_ID", id);
  }

  /** The ids of the experiment's traces, as the server's search returns them. */
  public List<String> traceIds() {
    return server.searchTraceIds(id);
  }

  /**
   * Runs {@code script} with MLflow's Python client and {@code args}, which prints one JSON value
   * per line; returns them in order.
   */
  public List<JsonNode> python(String script, List<String> args) throws Exception {
    String output = server.python(script, args.toArray(new String[0]));
    List<JsonNode> lines = new ArrayList<>();
    for (String line : output.strip().split("\\R")) {
      lines.add(TraceFiles.parseJson(line));
    }
    return lines;
  }
}
