package org.mlflow.agent.sink;

import java.util.Map;
import org.mlflow.agent.export.ExportedTrace;

/** Where finished traces go. Called on the exporter thread only; never throws. */
public interface TraceSink {

  void export(ExportedTrace trace);

  /** Where traces go, for the start-up line. */
  String describe();

  /** Flushes what is buffered and prints the sink's exit summary, if it has one. */
  void close();

  /**
   * The JVM is exiting and {@link #close} must be over by {@code deadlineMillis} (epoch millis):
   * a sink that waits for a server keeps time to put what it could not send somewhere safe.
   * Called once, from the thread running the exit, before {@link #close}.
   */
  default void exitBy(long deadlineMillis) {}

  /** What the sink did so far, by counter name (for JMX and the periodic summary). */
  default Map<String, Long> counters() {
    return Map.of();
  }
}
