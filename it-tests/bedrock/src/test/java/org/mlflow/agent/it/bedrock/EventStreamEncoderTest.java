package org.mlflow.agent.it.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.eventstream.Message;
import software.amazon.eventstream.MessageDecoder;

/** The fake's frames, read back with the decoder the AWS SDK itself uses. */
class EventStreamEncoderTest {

  private static List<Message> decode(byte[] bytes) {
    List<Message> messages = new ArrayList<>();
    MessageDecoder decoder = new MessageDecoder(messages::add);
    decoder.feed(ByteBuffer.wrap(bytes));
    return messages;
  }

  @Test
  void framesDecodeWithTheSdksDecoder() {
    byte[] bytes = new EventStreamEncoder()
        .event("messageStart", "{\"role\":\"assistant\"}")
        .exception("throttlingException", "{\"message\":\"slow down\"}")
        .bytes();

    List<Message> messages = decode(bytes);

    assertEquals(2, messages.size());
    assertEquals("messageStart", messages.get(0).getHeaders().get(":event-type").getString());
    assertEquals("event", messages.get(0).getHeaders().get(":message-type").getString());
    assertEquals("{\"role\":\"assistant\"}",
        new String(messages.get(0).getPayload(), StandardCharsets.UTF_8));
    assertEquals("throttlingException",
        messages.get(1).getHeaders().get(":exception-type").getString());
  }

  @Test
  void aCorruptedFrameFailsTheChecksum() {
    byte[] bytes = new EventStreamEncoder().event("messageStop", "{\"stopReason\":\"end_turn\"}")
        .bytes();
    bytes[bytes.length - 6] ^= 1;
    assertThrows(RuntimeException.class, () -> decode(bytes));
  }
}
