package org.mlflow.agent.benchmarks.macro;

/** How the app's JVM is started: the baseline, or with one of the agents attached. */
enum Mode {
  NONE("none", "without agent"),
  MLFLOW("mlflow", "mlflow-tracing-agent"),
  OTEL("otel", "opentelemetry-javaagent");

  final String option;
  final String label;

  Mode(String option, String label) {
    this.option = option;
    this.label = label;
  }

  static Mode ofOption(String option) {
    for (Mode mode : values()) {
      if (mode.option.equals(option)) {
        return mode;
      }
    }
    throw new IllegalArgumentException("unknown mode " + option + " (none, mlflow, otel)");
  }
}
