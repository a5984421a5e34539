package org.mlflow.agent.export;

import java.util.Map;

/** A point in time inside a span, such as the {@code exception} event of a failed call. */
public final class ExportedEvent {

  private final String name;
  private final long epochNanos;
  private final Map<String, Object> attributes;

  public ExportedEvent(String name, long epochNanos, Map<String, Object> attributes) {
    this.name = name;
    this.epochNanos = epochNanos;
    this.attributes = Map.copyOf(attributes);
  }

  public String name() {
    return name;
  }

  public long epochNanos() {
    return epochNanos;
  }

  public Map<String, Object> attributes() {
    return attributes;
  }
}
