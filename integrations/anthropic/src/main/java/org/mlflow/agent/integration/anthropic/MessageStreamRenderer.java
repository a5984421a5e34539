package org.mlflow.agent.integration.anthropic;

import java.util.LinkedHashMap;
import java.util.Map;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.integration.ContentRenderer;
import org.mlflow.agent.integration.SpanContent;

/**
 * A {@code messages().createStreaming(...)} call, sync or async: each event the application read
 * is a chunk, and the outputs are the {@code Message} the events add up to (as far as they went,
 * for a stream closed early or cut).
 */
final class MessageStreamRenderer implements ContentRenderer {

  private final MessageContent messages;

  MessageStreamRenderer(MessageContent messages) {
    this.messages = messages;
  }

  @Override
  public void render(Span span, SpanContent content) throws Exception {
    Object request = messages.request(span.request(), content);
    if (request instanceof Map) {
      // The SDK adds this to the body it sends for createStreaming; the inputs are what it sent.
      Map<Object, Object> sent = new LinkedHashMap<>((Map<?, ?>) request);
      sent.put("stream", true);
      content.inputs(sent);
    }
    if (span.chunkCount() == 0) {
      return;
    }
    StreamedMessage message = new StreamedMessage(
        json -> messages.sdkJson.parse(json, span.chunk(0)));
    for (int i = 0; i < span.chunkCount(); i++) {
      Object event = messages.sdkJson.toJdkValue(span.chunk(i));
      content.chunk(event);
      message.add(event);
    }
    Map<Object, Object> reassembled = message.result();
    if (reassembled != null) {
      messages.message(reassembled, content);
    }
  }
}
