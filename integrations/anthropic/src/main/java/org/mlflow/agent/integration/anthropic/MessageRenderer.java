package org.mlflow.agent.integration.anthropic;

import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.integration.ContentRenderer;
import org.mlflow.agent.integration.SpanContent;

/** A {@code messages().create(...)} call, sync or async: the request and the {@code Message}. */
final class MessageRenderer implements ContentRenderer {

  private final MessageContent messages;

  MessageRenderer(MessageContent messages) {
    this.messages = messages;
  }

  @Override
  public void render(Span span, SpanContent content) throws Exception {
    messages.request(span.request(), content);
    if (span.response() != null) {
      messages.message(messages.sdkJson.toJdkValue(span.response()), content);
    }
  }
}
