package org.mlflow.agent;

import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.regex.Pattern;
import org.mlflow.agent.bootstrap.RootCapture;
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
    // Plain loops rather than streams on this path: each lambda is a class spun at its first use,
    // and every millisecond here delays the application's main.
    List<Integration> available = loadIntegrations();
    SettingSource settings = SettingSource.fromThisJvm();
    AgentConfig config = AgentConfig.load(settings, names(available));
    Pattern credentials = KnownSecrets.pattern(config, settings);
    AgentLog.neverPrint(credentials); // before the first line, which may quote a setting
    for (String problem : config.problems()) {
      AgentLog.warn(problem);
    }
    if (!config.enabled()) {
      AgentLog.info("ENABLE_MLFLOW_TRACING is false: mlflow-tracing-agent " + AgentJar.version()
          + " installs nothing.");
      return;
    }
    List<Integration> integrations = new ArrayList<>();
    Map<String, ContentRenderer> renderers = new HashMap<>();
    IdentityHeaders identity = new IdentityHeaders(config.userHeader(), config.sessionHeader());
    for (Integration integration : available) {
      if (config.integrationEnabled(integration.name())) {
        integrations.add(integration);
        renderers.putAll(integration.renderers());
        for (Map.Entry<String, RootCapture> capture
            : integration.rootCaptures(identity).entrySet()) {
          Tracing.registerRootCapture(capture.getKey(), capture.getValue());
        }
      }
    }
    renderers.put(TracedMethodAdvice.KIND, new MethodCallRenderer());

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
        + (integrations.isEmpty() ? "none" : String.join(", ", names(integrations)))
        + (config.tracedMethods().isEmpty() ? "" : "; application methods: "
            + config.tracedMethods().size() + " pattern(s)")
        + (config.captureContent() ? "" : "; content capture off")
        + (config.samplingRatio() < 1.0 ? "; sampling ratio " + config.samplingRatio() : ""));
  }

  private static List<Integration> loadIntegrations() {
    List<Integration> integrations = new ArrayList<>();
    for (Integration integration
        : ServiceLoader.load(Integration.class, AgentInstaller.class.getClassLoader())) {
      integrations.add(integration);
    }
    return integrations;
  }

  private static List<String> names(List<Integration> integrations) {
    List<String> names = new ArrayList<>(integrations.size());
    for (Integration integration : integrations) {
      names.add(integration.name());
    }
    return names;
  }

  private static void stop(Exporter exporter, AgentStats stats, long flushTimeoutSeconds) {
    Tracing.install(null, 1.0);
    if (!exporter.shutdown(flushTimeoutSeconds * 1000)) {
      AgentLog.warn("traces still being sent after MLFLOW_AGENT_FLUSH_TIMEOUT_SECONDS="
          + flushTimeoutSeconds + " were left behind at exit.");
    }
    if (stats.spansWithoutContent() > 0) {
      AgentLog.warn(stats.spansWithoutContent() + " span(s) were exported without their inputs and"
          + " outputs: calls came faster than the agent could render them, and what waited was"
          + " over its heap budget (an eighth of the heap, at most 64 MB)");
    }
    Map<String, Long> dropped = stats.spansDropped();
    if (!dropped.isEmpty() || stats.tracesTimedOut() > 0) {
      AgentLog.warn("spans dropped by reason: " + dropped + "; traces closed by timeout: "
          + stats.tracesTimedOut());
    }
  }
}
