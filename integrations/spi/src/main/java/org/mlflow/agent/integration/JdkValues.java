package org.mlflow.agent.integration;

import java.util.List;
import java.util.Map;

/** Small readers for the nested maps and lists that {@link LibraryJson} produces. */
public final class JdkValues {

  private JdkValues() {}

  /** Follows map keys (String) and list indexes (Integer); null when any step is missing. */
  public static Object path(Object root, Object... steps) {
    Object current = root;
    for (Object step : steps) {
      if (current instanceof Map && step instanceof String) {
        current = ((Map<?, ?>) current).get(step);
      } else if (current instanceof List && step instanceof Integer) {
        List<?> list = (List<?>) current;
        int index = (Integer) step;
        current = index >= 0 && index < list.size() ? list.get(index) : null;
      } else {
        return null;
      }
    }
    return current;
  }

  public static String string(Object root, Object... steps) {
    Object value = path(root, steps);
    return value instanceof String ? (String) value : null;
  }

  public static Long number(Object root, Object... steps) {
    Object value = path(root, steps);
    return value instanceof Number ? ((Number) value).longValue() : null;
  }
}
