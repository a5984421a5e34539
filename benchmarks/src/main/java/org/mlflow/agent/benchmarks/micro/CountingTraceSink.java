package org.mlflow.agent.benchmarks.micro;

import org.mlflow.agent.export.ExportedTrace;
import org.mlflow.agent.sink.TraceSink;

/** A sink that ships nothing: the exporter's work ends at the finished trace. Counts traces. */
final class CountingTraceSink implements TraceSink {

  /** Written by the exporter thread only; read after it has stopped. */
  private long traces;

  @Override
  public void export(ExportedTrace trace) {
    traces++;
  }

  @Override
  public String describe() {
    return "nowhere (benchmark)";
  }

  @Override
  public void close() {}

  long traces() {
    return traces;
  }
}
