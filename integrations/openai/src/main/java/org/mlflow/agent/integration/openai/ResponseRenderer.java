package org.mlflow.agent.integration.openai;

import static org.mlflow.agent.integration.JdkValues.path;

import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.integration.ContentRenderer;
import org.mlflow.agent.integration.LibraryJson;
import org.mlflow.agent.integration.SpanContent;

/**
 * A Responses API call as MLflow's Python OpenAI autolog records it: the request body as inputs,
 * the {@code Response} as outputs; for a streamed one, each event as a chunk event and the
 * response the final event carries as outputs.
 */
final class ResponseRenderer implements ContentRenderer {

  private final LibraryJson sdkJson;
  private final boolean streamed;

  ResponseRenderer(LibraryJson sdkJson, boolean streamed) {
    this.sdkJson = sdkJson;
    this.streamed = streamed;
  }

  @Override
  public void render(Span span, SpanContent content) throws Exception {
    ChatCallContent.recordRequest(span, sdkJson, streamed, content);
    Object response = streamed
        ? ResponseStreamEvents.finalResponse(StreamedItems.record(span, sdkJson, content))
        : sdkJson.toJdkValue(span.response());
    ChatCallContent.recordOutput(response, OpenAiUsage.ofResponse(path(response, "usage")),
        content);
  }
}
