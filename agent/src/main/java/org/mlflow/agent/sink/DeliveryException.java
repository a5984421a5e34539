package org.mlflow.agent.sink;

import java.io.IOException;

/** A trace the server did not take, and whether trying again later can help. */
public final class DeliveryException extends IOException {

  private static final long serialVersionUID = 1L;

  private final boolean retryable;
  private final boolean settingsProblem;
  private final long retryAfterMillis;
  private final int status;

  DeliveryException(String message, boolean retryable, long retryAfterMillis, Throwable cause) {
    this(message, retryable, false, retryAfterMillis, -1, cause);
  }

  private DeliveryException(String message, boolean retryable, boolean settingsProblem,
      long retryAfterMillis, int status, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
    this.settingsProblem = settingsProblem;
    this.retryAfterMillis = retryAfterMillis;
    this.status = status;
  }

  /** An HTTP answer other than 2xx. */
  static DeliveryException httpStatus(String message, int status, boolean retryable,
      long retryAfterMillis) {
    return new DeliveryException(message, retryable, false, retryAfterMillis, status, null);
  }

  /**
   * The trace is fine but the agent's settings are not (credentials refused, a certificate this
   * JVM does not trust): trying again cannot help until the user fixes them, and the trace must
   * be kept, not refused.
   */
  static DeliveryException settings(String message, int status, Throwable cause) {
    return new DeliveryException(message, false, true, -1, status, cause);
  }

  /** Connection failures, timeouts, 408, 429 and 5xx: the server may take it later. */
  public boolean retryable() {
    return retryable;
  }

  /** Credentials or TLS trust the user must fix; the trace itself would be accepted. */
  public boolean settingsProblem() {
    return settingsProblem;
  }

  /** The server's Retry-After, in milliseconds, or -1 when it gave none. */
  public long retryAfterMillis() {
    return retryAfterMillis;
  }

  /** The HTTP status the server answered, or -1 when there was no answer. */
  public int status() {
    return status;
  }
}
