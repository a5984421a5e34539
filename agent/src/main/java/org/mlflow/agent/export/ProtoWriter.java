package org.mlflow.agent.export;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes protobuf wire format by hand: the few field kinds OTLP's trace messages use. The agent
 * carries no protobuf runtime (a host app may ship its own, in any version).
 *
 * <p>A nested message is written into its own writer first and then embedded with its length.
 */
final class ProtoWriter {

  private static final int VARINT = 0;
  private static final int FIXED64 = 1;
  private static final int LENGTH_DELIMITED = 2;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  void string(int field, String value) {
    bytes(field, value.getBytes(StandardCharsets.UTF_8));
  }

  /** A string field, left out when empty as proto3 does. */
  void optionalString(int field, String value) {
    if (value != null && !value.isEmpty()) {
      string(field, value);
    }
  }

  void bytes(int field, byte[] value) {
    tag(field, LENGTH_DELIMITED);
    varint(value.length);
    out.write(value, 0, value.length);
  }

  void message(int field, ProtoWriter message) {
    tag(field, LENGTH_DELIMITED);
    varint(message.out.size());
    out.writeBytes(message.toByteArray());
  }

  /** An int64, bool or enum field. */
  void varintField(int field, long value) {
    tag(field, VARINT);
    varint(value);
  }

  void fixed64(int field, long value) {
    tag(field, FIXED64);
    for (int shift = 0; shift < 64; shift += 8) {
      out.write((int) (value >>> shift) & 0xff);
    }
  }

  void doubleField(int field, double value) {
    fixed64(field, Double.doubleToRawLongBits(value));
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }

  private void tag(int field, int wireType) {
    varint(((long) field << 3) | wireType);
  }

  private void varint(long value) {
    while ((value & ~0x7fL) != 0) {
      out.write((int) ((value & 0x7f) | 0x80));
      value >>>= 7;
    }
    out.write((int) value);
  }
}
