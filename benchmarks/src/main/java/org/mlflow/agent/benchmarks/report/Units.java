package org.mlflow.agent.benchmarks.report;

/** How the reports write sizes. */
public final class Units {

  private Units() {}

  /** A call size as the reports name it: 64 B, 10 KB, 1 MB. */
  public static String size(int bytes) {
    if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
      return (bytes >> 20) + " MB";
    }
    if (bytes >= 1 << 10 && bytes % (1 << 10) == 0) {
      return (bytes >> 10) + " KB";
    }
    return bytes + " B";
  }
}
