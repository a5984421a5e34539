package org.mlflow.agent.export;

import java.nio.ByteBuffer;
import java.util.Base64;

/** MLflow's spellings of the ids the bootstrap records as longs. */
public final class SpanIds {

  private SpanIds() {}

  /** {@code tr-} and the 16-byte trace id in 32 lowercase hex digits. */
  public static String mlflowTraceId(long high, long low) {
    return "tr-" + hex(high) + hex(low);
  }

  /** 16 lowercase hex digits. */
  public static String hex(long value) {
    String digits = Long.toHexString(value);
    return "0".repeat(16 - digits.length()) + digits;
  }

  /** Base64 of the raw big-endian bytes, as {@code traces.json} carries ids. */
  public static String base64(long value) {
    return Base64.getEncoder().encodeToString(ByteBuffer.allocate(8).putLong(value).array());
  }

  public static String base64(long high, long low) {
    return Base64.getEncoder()
        .encodeToString(ByteBuffer.allocate(16).putLong(high).putLong(low).array());
  }
}
