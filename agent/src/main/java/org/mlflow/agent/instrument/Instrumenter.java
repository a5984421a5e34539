package org.mlflow.agent.instrument;

import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import org.mlflow.agent.integration.Integration;
import org.mlflow.agent.methods.TracedMethods;

/**
 * Weaves the integrations' advice into library classes as they load, without holding up the
 * application's start: {@code premain} only installs a {@link StartupGate}; Byte Buddy (the
 * {@link Weaver}, most of the agent's classes) is loaded and built on a background thread. This
 * class touches no Byte Buddy type, so loading it costs {@code premain} nothing.
 */
public final class Instrumenter {

  /**
   * Byte Buddy's switch that keeps it off {@code sun.misc.Unsafe}. The build relocates this name
   * along with Byte Buddy, so it only concerns the agent's copy, never the application's.
   */
  private static final String BYTE_BUDDY_SAFE_MODE = "net.bytebuddy.safe";

  /**
   * Starts weaving {@code integrations} into classes as they load. Returns at once.
   *
   * @param tracedMethods the application's own methods to trace ({@code
   *     MLFLOW_AGENT_TRACE_METHODS}); never a JDK class or one the bootstrap loader loads
   * @param attachedLate whether the agent was attached to a running JVM, whose classes may already
   *     include the libraries' (then every loaded class is checked once the weaver is ready)
   */
  public void install(Instrumentation instrumentation, List<Integration> integrations,
      TracedMethods tracedMethods, boolean attachedLate) {
    // Weaving inline advice needs no class injection, and reaching for Unsafe makes JDK 24+ print
    // deprecation warnings on the application's stderr.
    if (System.getProperty(BYTE_BUDDY_SAFE_MODE) == null) {
      System.setProperty(BYTE_BUDDY_SAFE_MODE, "true");
    }
    // The traced application classes wait for the weaver too: their first call is then traced.
    // A loop, not a stream: each lambda is a class spun at first use, on premain's clock.
    List<String> heldPrefixes = new ArrayList<>(tracedMethods.classNamePrefixes());
    List<String> typesImplementedAnywhere = new ArrayList<>();
    for (Integration integration : integrations) {
      heldPrefixes.addAll(integration.libraryPackages());
      typesImplementedAnywhere.addAll(integration.typesImplementedAnywhere());
    }
    StartupGate gate = new StartupGate(internalNames(heldPrefixes),
        internalNames(typesImplementedAnywhere));
    instrumentation.addTransformer(gate, true);
    Thread builder = new Thread(
        () -> new Weaver(integrations, tracedMethods).open(gate, instrumentation, attachedLate),
        "mlflow-agent-instrumenter");
    builder.setDaemon(true);
    builder.start();
  }

  private static List<String> internalNames(List<String> names) {
    List<String> internal = new ArrayList<>(names.size());
    for (String name : names) {
      internal.add(name.replace('.', '/'));
    }
    return internal;
  }
}
