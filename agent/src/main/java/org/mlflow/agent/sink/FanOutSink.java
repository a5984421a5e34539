package org.mlflow.agent.sink;

import java.util.List;
import java.util.stream.Collectors;
import org.mlflow.agent.export.ExportedTrace;

/** Hands every trace to several sinks (an MLflow server and an OTLP collector, for dual export). */
public final class FanOutSink implements TraceSink {

  private final List<TraceSink> sinks;

  public FanOutSink(List<TraceSink> sinks) {
    this.sinks = List.copyOf(sinks);
  }

  @Override
  public void export(ExportedTrace trace) {
    sinks.forEach(sink -> sink.export(trace));
  }

  @Override
  public String describe() {
    return sinks.stream().map(TraceSink::describe).collect(Collectors.joining(" and "));
  }

  @Override
  public void exitBy(long deadlineMillis) {
    sinks.forEach(sink -> sink.exitBy(deadlineMillis));
  }

  /** Closes the sinks side by side: each flushes within the one exit deadline they share. */
  @Override
  public void close() {
    List<Thread> others = sinks.subList(1, sinks.size()).stream()
        .map(sink -> new Thread(sink::close, "mlflow-agent-close"))
        .collect(Collectors.toList());
    for (Thread other : others) {
      other.setDaemon(true);
      other.start();
    }
    sinks.get(0).close();
    for (Thread other : others) {
      try {
        other.join();
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
