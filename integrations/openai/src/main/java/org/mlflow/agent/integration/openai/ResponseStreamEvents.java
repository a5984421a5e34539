package org.mlflow.agent.integration.openai;

import static org.mlflow.agent.integration.JdkValues.path;
import static org.mlflow.agent.integration.JdkValues.string;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The final response of a streamed Responses API call, from its events. */
final class ResponseStreamEvents {

  /** The events that end a stream, each carrying the whole response. */
  private static final Set<String> FINAL_EVENTS =
      Set.of("response.completed", "response.incomplete", "response.failed");

  private ResponseStreamEvents() {}

  /**
   * The response a terminal event carries; for a stream that ended before one (closed early or
   * cut), the latest response snapshot (from {@code response.created} or {@code
   * response.in_progress}) with the output items completed so far. Null when there is neither.
   */
  static Object finalResponse(List<Object> events) {
    Object snapshot = null;
    List<Object> doneItems = new ArrayList<>();
    for (Object event : events) {
      String type = string(event, "type");
      Object response = path(event, "response");
      if (FINAL_EVENTS.contains(type) && response != null) {
        return response;
      }
      if (response != null) {
        snapshot = response;
      }
      if ("response.output_item.done".equals(type) && path(event, "item") != null) {
        doneItems.add(path(event, "item"));
      }
    }
    if (snapshot == null && doneItems.isEmpty()) {
      return null;
    }
    Map<Object, Object> partial = snapshot instanceof Map
        ? new LinkedHashMap<>((Map<?, ?>) snapshot) : new LinkedHashMap<>();
    partial.put("output", doneItems);
    return partial;
  }
}
