package org.mlflow.agent.integration.springai;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.integration.ContentRenderer;
import org.mlflow.agent.integration.SpanContent;
import org.mlflow.agent.integration.TokenUsage;

/**
 * A {@code ChatModel.call(Prompt)} or {@code stream(Prompt)}: inputs the prompt's messages,
 * outputs the answer as a {@code chat.completion} (for a stream, the chunks reassembled, each
 * chunk an event), the model, the provider, the usage and the tools offered.
 */
final class ChatModelRenderer implements ContentRenderer {

  private final ChatMessages messages;
  private final boolean streamed;

  ChatModelRenderer(ChatMessages messages, boolean streamed) {
    this.messages = messages;
    this.streamed = streamed;
  }

  @Override
  public void render(Span span, SpanContent content) throws Exception {
    Object[] captured = (Object[]) span.request();
    Object prompt = captured[0];
    Object model = captured[1];
    content.messageFormat("openai")
        .inputs(messages.request(prompt, model))
        .model(messages.requestedModel(prompt, model))
        .provider(SpringAiObjects.provider(model))
        .tools(messages.tools(prompt, model));
    List<Object> answers = new ArrayList<>();
    if (streamed) {
      for (int i = 0; i < span.chunkCount(); i++) {
        answers.add(span.chunk(i));
      }
    } else if (span.response() != null) {
      answers.add(span.response());
    }
    renderAnswers(messages, answers, streamed, content);
  }

  /**
   * Outputs, served model and usage of the chat responses a call produced: the one response of a
   * call, or the items of a stream (each also a chunk event).
   */
  static void renderAnswers(ChatMessages messages, List<Object> chatResponses, boolean streamed,
      SpanContent content) throws ReflectiveOperationException {
    List<Map<String, Object>> chunks = new ArrayList<>();
    for (Object response : chatResponses) {
      if (response == null) {
        continue;
      }
      String served = messages.servedModel(response);
      if (served != null) {
        content.model(served);
      }
      TokenUsage usage = messages.usage(response);
      if (usage != null) {
        content.tokenUsage(usage);
      }
      if (streamed) {
        Map<String, Object> chunk = messages.completion(response, true);
        chunks.add(chunk);
        content.chunk(chunk);
      } else {
        content.outputs(messages.completion(response, false));
      }
    }
    if (streamed && !chunks.isEmpty()) {
      content.outputs(messages.assembled(chunks));
    }
  }
}
