package org.mlflow.agent.integration.springai;

import static org.mlflow.agent.integration.springai.SpringAiObjects.call;

import java.util.ArrayList;
import java.util.List;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.integration.ContentRenderer;
import org.mlflow.agent.integration.SpanContent;

/**
 * A {@code ChatClient} call, the parent of the model calls, tool calls and retrievals its advisors
 * make: inputs the prompt as the client built it, outputs the final answer. Its usage is left to
 * the model calls under it, so the trace counts each token once.
 */
final class ChatClientRenderer implements ContentRenderer {

  private final ChatMessages messages;
  private final boolean streamed;

  ChatClientRenderer(ChatMessages messages, boolean streamed) {
    this.messages = messages;
    this.streamed = streamed;
  }

  @Override
  public void render(Span span, SpanContent content) throws Exception {
    Object clientRequest = ((Object[]) span.request())[0];
    Object prompt = call(clientRequest, "prompt");
    content.messageFormat("openai").inputs(messages.request(prompt, null));
    List<Object> answers = new ArrayList<>();
    if (streamed) {
      for (int i = 0; i < span.chunkCount(); i++) {
        answers.add(call(span.chunk(i), "chatResponse"));
      }
    } else if (span.response() != null) {
      answers.add(call(span.response(), "chatResponse"));
    }
    ChatModelRenderer.renderAnswers(messages, answers, streamed, content);
    content.tokenUsage(null); // the model calls under it carry it
  }
}
