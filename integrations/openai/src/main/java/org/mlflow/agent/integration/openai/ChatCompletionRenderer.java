package org.mlflow.agent.integration.openai;

import static org.mlflow.agent.integration.JdkValues.path;

import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.integration.ContentRenderer;
import org.mlflow.agent.integration.LibraryJson;
import org.mlflow.agent.integration.SpanContent;

/**
 * A chat completion as MLflow's Python OpenAI autolog records it: the request body as inputs, the
 * {@code ChatCompletion} as outputs, both exactly as the SDK's own JSON reads; for a streamed one,
 * each chunk as an event and the completion reassembled from them.
 */
final class ChatCompletionRenderer implements ContentRenderer {

  private final LibraryJson sdkJson;
  private final boolean streamed;

  ChatCompletionRenderer(LibraryJson sdkJson, boolean streamed) {
    this.sdkJson = sdkJson;
    this.streamed = streamed;
  }

  @Override
  public void render(Span span, SpanContent content) throws Exception {
    ChatCallContent.recordRequest(span, sdkJson, streamed, content);
    Object completion = streamed
        ? ChatCompletionChunks.reassemble(StreamedItems.record(span, sdkJson, content))
        : sdkJson.toJdkValue(span.response());
    ChatCallContent.recordOutput(completion,
        OpenAiUsage.ofChatCompletion(path(completion, "usage")), content);
  }
}
