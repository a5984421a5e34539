package org.mlflow.agent.jcstress;

import java.util.List;

/** Checks on what a test drained from a ring. */
final class Drained {

  private Drained() {}

  /** {@code first} came out before {@code second} (both came out). */
  static boolean inProducerOrder(List<Integer> out, int first, int second) {
    int a = out.indexOf(first);
    int b = out.indexOf(second);
    return a >= 0 && b >= 0 && a < b;
  }
}
