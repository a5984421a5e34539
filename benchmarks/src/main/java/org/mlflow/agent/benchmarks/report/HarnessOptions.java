package org.mlflow.agent.benchmarks.report;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The harnesses' command line: {@code --name value} pairs, each name one of a known list. */
public final class HarnessOptions {

  private final Map<String, String> values = new HashMap<>();

  private HarnessOptions() {}

  public static HarnessOptions parse(String[] args, List<String> known) {
    HarnessOptions options = new HarnessOptions();
    for (int i = 0; i < args.length; i++) {
      String name = args[i].startsWith("--") ? args[i].substring(2) : "";
      if (!known.contains(name) || i + 1 == args.length) {
        throw new IllegalArgumentException("expected --option value with an option of "
            + known + ", got " + args[i]);
      }
      options.values.put(name, args[++i]);
    }
    return options;
  }

  public String get(String name, String orElse) {
    return values.getOrDefault(name, orElse);
  }

  public int integer(String name, int orElse) {
    return values.containsKey(name) ? Integer.parseInt(values.get(name)) : orElse;
  }

  public double decimal(String name, double orElse) {
    return values.containsKey(name) ? Double.parseDouble(values.get(name)) : orElse;
  }
}
