package org.mlflow.agent.benchmarks.macro;

import java.util.List;
import java.util.Map;

/** What one run of the app in its own JVM reported, and what the harness saw around it. */
final class AppRun {

  final Mode mode;
  final int callBytes;
  final int round;
  /** The app's RESULT line, key by key. */
  final Map<String, Double> reported;
  final long launchEpochMs;
  /** Every chat call the app made, warm-up and first call included. */
  final long callsMade;
  /** Trace files the agent wrote; -1 when no MLflow agent was attached. */
  final long tracesWritten;
  /** The agent's WARN and ERROR lines on stderr. */
  final List<String> agentProblems;

  AppRun(Mode mode, int callBytes, int round, Map<String, Double> reported, long launchEpochMs,
      long callsMade, long tracesWritten, List<String> agentProblems) {
    this.mode = mode;
    this.callBytes = callBytes;
    this.round = round;
    this.reported = reported;
    this.launchEpochMs = launchEpochMs;
    this.callsMade = callsMade;
    this.tracesWritten = tracesWritten;
    this.agentProblems = agentProblems;
  }

  double value(String key) {
    Double value = reported.get(key);
    if (value == null) {
      throw new IllegalStateException("the app reported no " + key);
    }
    return value;
  }

  /** From the harness starting the process to the first line of the app's main. */
  double launchToMainMs() {
    return value("mainEpochMs") - launchEpochMs;
  }

  /** From the harness starting the process to the app's first chat call having returned. */
  double launchToFirstCallMs() {
    return value("firstCallEpochMs") - launchEpochMs;
  }
}
