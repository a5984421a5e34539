package org.mlflow.agent.integration.openai;

import java.util.ArrayList;
import java.util.List;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.integration.LibraryJson;
import org.mlflow.agent.integration.SpanContent;

/** The items a streaming call produced, as the SDK's JSON reads them. */
final class StreamedItems {

  private StreamedItems() {}

  /** Reads every item the span kept and records each as one of MLflow's chunk events. */
  static List<Object> record(Span span, LibraryJson sdkJson, SpanContent content)
      throws ReflectiveOperationException {
    List<Object> items = new ArrayList<>(span.chunkCount());
    for (int i = 0; i < span.chunkCount(); i++) {
      Object item = sdkJson.toJdkValue(span.chunk(i));
      items.add(item);
      content.chunk(item);
    }
    return items;
  }
}
