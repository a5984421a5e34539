package org.mlflow.agent.integration.openai;

import static org.mlflow.agent.integration.JdkValues.string;

import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.integration.LibraryJson;
import org.mlflow.agent.integration.SpanContent;
import org.mlflow.agent.integration.TokenUsage;

/**
 * What a chat completion and a Responses API call record alike, as MLflow's Python OpenAI autolog
 * does: the request body as inputs, the final completion or response as outputs.
 */
final class ChatCallContent {

  private ChatCallContent() {}

  /** The request: provider, message format, inputs, the model asked for and the tools offered. */
  static void recordRequest(Span span, LibraryJson sdkJson, boolean streamed, SpanContent content)
      throws ReflectiveOperationException {
    OpenAiCall call = OpenAiCall.of(span);
    Object request = call.requestBody(sdkJson, streamed);
    content.provider(call.provider()).messageFormat("openai").inputs(request)
        .model(string(request, "model")).tools(ToolDefinitions.of(request));
  }

  /** The final output (nothing when null), the model that served it and its token usage. */
  static void recordOutput(Object output, TokenUsage usage, SpanContent content) {
    if (output == null) {
      return;
    }
    content.outputs(output);
    String servedModel = string(output, "model");
    if (servedModel != null) {
      content.model(servedModel);
    }
    content.tokenUsage(usage);
  }
}
