package org.mlflow.agent.sink;

import java.io.IOException;

/** A trace the server did not take, and whether trying again later can help. */
public final class DeliveryException extends IOException {

  private static final long serialVersionUID = 1L;

  private final boolean retryable;
  private final long retryAfterMillis;
  private final int httpStatus;

  DeliveryException(String message, boolean retryable, long retryAfterMillis, Throwable cause) {
    this(message, retryable, retryAfterMillis, cause, -1);
  }

  /** @param httpStatus the server's answer, or -1 when it gave none */
  DeliveryException(String message, boolean retryable, long retryAfterMillis, Throwable cause,
      int httpStatus) {
    super(message, cause);
    this.retryable = retryable;
    this.retryAfterMillis = retryAfterMillis;
    this.httpStatus = httpStatus;
  }

  /** Connection failures, timeouts, 408, 429 and 5xx: the server may take it later. */
  public boolean retryable() {
    return retryable;
  }

  /** The server's Retry-After, in milliseconds, or -1 when it gave none. */
  public long retryAfterMillis() {
    return retryAfterMillis;
  }

  /** The HTTP status the server answered with, or -1 when it was not reached. */
  public int httpStatus() {
    return httpStatus;
  }
}
