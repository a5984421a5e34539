package org.mlflow.agent;

import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.mlflow.agent.bootstrap.Tracing;
import org.mlflow.agent.config.AgentConfig;
import org.mlflow.agent.config.SettingSource;
import org.mlflow.agent.core.AgentMonitor;
import org.mlflow.agent.core.AgentStats;
import org.mlflow.agent.core.ContentPolicy;
import org.mlflow.agent.core.Exporter;
import org.mlflow.agent.core.KnownSecrets;
import org.mlflow.agent.core.SpanRenderer;
import org.mlflow.agent.core.TraceAssembler;
import org.mlflow.agent.core.TraceBuilder;
import org.mlflow.agent.instrument.Instrumenter;
import org.mlflow.agent.integration.ContentRenderer;
import org.mlflow.agent.integration.IdentityHeaders;
import org.mlflow.agent.integration.Integration;
import org.mlflow.agent.methods.MethodCallRenderer;
import org.mlflow.agent.methods.TracedMethodAdvice;
import org.mlflow.agent.methods.TracedMethods;
import org.mlflow.agent.sink.TraceSink;

/** Wires the agent together once the bootstrap bridge is in place. */
public final class AgentInstaller {

  private AgentInstaller() {}

  /** Called by {@code premain}: the JVM is starting and has loaded no library class yet. */
  public static void install(Instrumentation instrumentation) {
    install(instrumentation, false);
  }

  /** Called by {@code agentmain}: attached to a running JVM, whose libraries may be loaded. */
  public static void installLate(Instrumentation instrumentation) {
    install(instrumentation, true);
  }

  private static void install(Instrumentation instrumentation, boolean attachedLate) {
    List<Integration> available = loadIntegrations();
    AgentConfig config = AgentConfig.load(SettingSource.fromThisJvm(),
        available.stream().map(Integration::name).collect(Collectors.toList()));
    Pattern credentials = KnownSecrets.pattern(config, System.getenv(), System.getProperties());
    AgentLog.neverPrint(credentials); // before the first line, which may quote a setting
    config.problems().forEach(AgentLog::warn);
    if (!config.enabled()) {
      AgentLog.info("ENABLE_MLFLOW_TRACING is false: mlflow-tracing-agent " + AgentJar.version()
          + " installs nothing.");
      return;
    }
    List<Integration> integrations = available.stream()
        .filter(integration -> config.integrationEnabled(integration.name()))
        .collect(Collectors.toList());
    Map<String, ContentRenderer> renderers = new HashMap<>();
    integrations.forEach(integration -> renderers.putAll(integration.renderers()));
    renderers.put(TracedMethodAdvice.KIND, new MethodCallRenderer());
    IdentityHeaders identity = new IdentityHeaders(config.userHeader(), config.sessionHeader());
    integrations.forEach(integration ->
        integration.rootCaptures(identity).forEach(Tracing::registerRootCapture));

    TraceSink sink = TraceSinks.forConfig(config);
    AgentStats stats = new AgentStats();
    TraceAssembler assembler = new TraceAssembler(
        new SpanRenderer(renderers,
            new ContentPolicy(config.captureContent(), config.maxContentChars(),
                config.redactPattern(), credentials)),
        new TraceBuilder(config.experimentId(), SourceMetadata.ofThisJvm(),
            config.traceMetadata(),
            config.databricks() ? TraceBuilder.DATABRICKS_PREVIEW_CHARS
                : TraceBuilder.PREVIEW_CHARS),
        sink,
        stats,
        config.traceTimeoutSeconds(),
        config.ringSize() * 4);
    Exporter exporter = new Exporter(config.ringSize(), assembler, sink, stats);
    exporter.start();
    stats.readDeliveryFrom(sink::counters);
    AgentMonitor.start(stats);
    Tracing.install(exporter, config.samplingRatio());
    Runtime.getRuntime().addShutdownHook(new Thread(
        () -> stop(exporter, stats, config.flushTimeoutSeconds()), "mlflow-agent-shutdown"));

    new Instrumenter().install(instrumentation, integrations,
        new TracedMethods(config.tracedMethods()), attachedLate);
    AgentLog.info("mlflow-tracing-agent " + AgentJar.version() + ": traces go to "
        + sink.describe() + "; integrations: "
        + (integrations.isEmpty() ? "none"
            : integrations.stream().map(Integration::name).collect(Collectors.joining(", ")))
        + (config.tracedMethods().isEmpty() ? "" : "; application methods: "
            + config.tracedMethods().size() + " pattern(s)")
        + (config.captureContent() ? "" : "; content capture off")
        + (config.samplingRatio() < 1.0 ? "; sampling ratio " + config.samplingRatio() : ""));
  }

  private static List<Integration> loadIntegrations() {
    List<Integration> integrations = new ArrayList<>();
    ServiceLoader.load(Integration.class, AgentInstaller.class.getClassLoader())
        .forEach(integrations::add);
    return integrations;
  }

  private static void stop(Exporter exporter, AgentStats stats, long flushTimeoutSeconds) {
    Tracing.install(null, 1.0);
    if (!exporter.shutdown(flushTimeoutSeconds * 1000)) {
      AgentLog.warn("traces still being sent after MLFLOW_AGENT_FLUSH_TIMEOUT_SECONDS="
          + flushTimeoutSeconds + " were left behind at exit.");
    }
    Map<String, Long> dropped = stats.spansDropped();
    if (!dropped.isEmpty() || stats.tracesTimedOut() > 0) {
      AgentLog.warn("spans dropped by reason: " + dropped + "; traces closed by timeout: "
          + stats.tracesTimedOut());
    }
  }
}
