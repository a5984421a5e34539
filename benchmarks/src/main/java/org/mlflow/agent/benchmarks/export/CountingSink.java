package org.mlflow.agent.benchmarks.export;

import org.mlflow.agent.export.ExportedTrace;
import org.mlflow.agent.sink.TraceSink;

/** Counts the traces the exporter hands over, then passes them on (or, without a next, drops). */
final class CountingSink implements TraceSink {

  private final TraceSink next;
  /** Written by the exporter thread only, read by the producer: a volatile single writer. */
  private volatile long traces;

  /** @param next where traces go; null for a sink that ships nothing */
  CountingSink(TraceSink next) {
    this.next = next;
  }

  @Override
  public void export(ExportedTrace trace) {
    if (next != null) {
      next.export(trace);
    }
    traces = traces + 1; // one writer thread: no lost update
  }

  @Override
  public String describe() {
    return next == null ? "nowhere (benchmark)" : next.describe();
  }

  @Override
  public void close() {
    if (next != null) {
      next.close();
    }
  }

  long traces() {
    return traces;
  }
}
