package org.mlflow.agent.integration.openai;

import static org.mlflow.agent.integration.JdkValues.path;
import static org.mlflow.agent.integration.JdkValues.string;

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
    OpenAiCall call = OpenAiCall.of(span);
    Object request = call.requestBody(sdkJson, streamed);
    content.provider(call.provider()).messageFormat("openai").inputs(request)
        .model(string(request, "model")).tools(ToolDefinitions.of(request));
    Object response = streamed
        ? ResponseStreamEvents.finalResponse(StreamedItems.record(span, sdkJson, content))
        : sdkJson.toJdkValue(span.response());
    if (response == null) {
      return;
    }
    content.outputs(response);
    String servedModel = string(response, "model");
    if (servedModel != null) {
      content.model(servedModel);
    }
    content.tokenUsage(OpenAiUsage.ofResponse(path(response, "usage")));
  }
}
