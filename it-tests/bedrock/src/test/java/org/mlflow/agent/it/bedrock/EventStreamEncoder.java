package org.mlflow.agent.it.bedrock;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Writes AWS event-stream frames ({@code application/vnd.amazon.eventstream}), the binary framing
 * Bedrock's ConverseStream answers in: per message, a prelude (total length, headers length, CRC32
 * of those 8 bytes), the headers (name, type 7 = string, value), the payload, and a CRC32 of all
 * that came before.
 */
final class EventStreamEncoder {

  private static final byte STRING_HEADER = 7;

  private final ByteArrayOutputStream stream = new ByteArrayOutputStream();

  /** Appends an event such as {@code contentBlockDelta} with its JSON members. */
  EventStreamEncoder event(String eventType, String json) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(":event-type", eventType);
    headers.put(":content-type", "application/json");
    headers.put(":message-type", "event");
    return append(headers, json);
  }

  /** Appends an exception event, which ends the stream with the service's exception. */
  EventStreamEncoder exception(String exceptionType, String json) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(":exception-type", exceptionType);
    headers.put(":content-type", "application/json");
    headers.put(":message-type", "exception");
    return append(headers, json);
  }

  byte[] bytes() {
    return stream.toByteArray();
  }

  private EventStreamEncoder append(Map<String, String> headers, String json) {
    byte[] message = message(headers, json.getBytes(StandardCharsets.UTF_8));
    stream.write(message, 0, message.length);
    return this;
  }

  static byte[] message(Map<String, String> headers, byte[] payload) {
    ByteArrayOutputStream encodedHeaders = new ByteArrayOutputStream();
    headers.forEach((name, value) -> {
      byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
      byte[] valueBytes = value.getBytes(StandardCharsets.UTF_8);
      encodedHeaders.write(nameBytes.length);
      encodedHeaders.write(nameBytes, 0, nameBytes.length);
      encodedHeaders.write(STRING_HEADER);
      encodedHeaders.write(valueBytes.length >> 8);
      encodedHeaders.write(valueBytes.length & 0xff);
      encodedHeaders.write(valueBytes, 0, valueBytes.length);
    });
    byte[] headerBytes = encodedHeaders.toByteArray();
    int total = 12 + headerBytes.length + payload.length + 4;
    ByteBuffer message = ByteBuffer.allocate(total);
    message.putInt(total).putInt(headerBytes.length);
    message.putInt((int) crc32(message.array(), 0, 8));
    message.put(headerBytes).put(payload);
    message.putInt((int) crc32(message.array(), 0, total - 4));
    return message.array();
  }

  private static long crc32(byte[] bytes, int offset, int length) {
    CRC32 crc = new CRC32();
    crc.update(bytes, offset, length);
    return crc.getValue();
  }
}
