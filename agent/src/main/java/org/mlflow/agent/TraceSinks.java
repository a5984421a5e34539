package org.mlflow.agent;

import java.util.List;
import org.mlflow.agent.config.AgentConfig;
import org.mlflow.agent.sink.FanOutSink;
import org.mlflow.agent.sink.LocalFolderSink;
import org.mlflow.agent.sink.MlflowRestClient;
import org.mlflow.agent.sink.MlflowServerDelivery;
import org.mlflow.agent.sink.OtlpCollectorDelivery;
import org.mlflow.agent.sink.ServerSink;
import org.mlflow.agent.sink.Spool;
import org.mlflow.agent.sink.TraceDelivery;
import org.mlflow.agent.sink.TraceSink;

/** Where the settings send traces: an MLflow server, an OTLP collector, both, or a folder. */
final class TraceSinks {

  private TraceSinks() {}

  /**
   * Traces waiting for the senders in memory, at most; beyond it they wait in the spool. Half the
   * agent's 64 MB heap target: while a server that stopped answering is still being retried (up
   * to some 15 s before it counts as down), this queue is most of what the agent holds.
   */
  static final long MAX_QUEUED_BYTES = 32L * 1024 * 1024;

  /**
   * An OTLP collector, when one is set, takes the traces instead of the tracking server, or beside
   * it with {@code MLFLOW_TRACE_ENABLE_OTLP_DUAL_EXPORT}, as in MLflow's Python client.
   */
  static TraceSink forConfig(AgentConfig config) {
    LocalFolderSink folder = new LocalFolderSink(config.tracesDir());
    // Checked before the client class loads: loading OkHttp costs start-up time.
    MlflowRestClient server =
        config.trackingUri() == null ? null : MlflowRestClient.forConfig(config);
    TraceSink collector = config.otlpTracesEndpoint() == null ? null
        : deliveringSink(new OtlpCollectorDelivery(config.otlpTracesEndpoint(),
            config.otlpHeaders(), config.serviceName()), folder, "-otlp", config);
    if (server == null && collector == null) {
      return folder;
    }
    if (collector != null && (server == null || !config.otlpDualExport())) {
      if (server != null) {
        server.close();
        AgentLog.info("an OTLP endpoint is set (OTEL_EXPORTER_OTLP_*): traces go there, not to"
            + " MLFLOW_TRACKING_URI (MLFLOW_TRACE_ENABLE_OTLP_DUAL_EXPORT=true sends them to both)");
      }
      return collector;
    }
    TraceSink mlflow = deliveringSink(
        new MlflowServerDelivery(server, config.serviceName(), AgentJar.version()), folder, "",
        config);
    return collector == null ? mlflow : new FanOutSink(List.of(mlflow, collector));
  }

  /** @param suffix tells this backend's spool folders from another's */
  private static TraceSink deliveringSink(TraceDelivery delivery, LocalFolderSink folder,
      String suffix, AgentConfig config) {
    return new ServerSink(delivery,
        new Spool(folder.folder().resolve("unsent" + suffix), config.spoolMaxBytes()),
        new Spool(folder.folder().resolve("rejected" + suffix), config.spoolMaxBytes()),
        MAX_QUEUED_BYTES, config.flushTimeoutSeconds() * 1000, config.senderThreads());
  }
}
