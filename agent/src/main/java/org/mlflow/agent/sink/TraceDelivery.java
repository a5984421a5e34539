package org.mlflow.agent.sink;

import java.util.Map;

/**
 * One way of handing a whole trace to a backend. {@link ServerSink} queues, retries, spools and
 * counts around it; a delivery only sends, once, and says whether a failure may pass. The sink's
 * sender threads call it at once: an implementation is safe to share between threads.
 */
public interface TraceDelivery {

  /**
   * Sends one trace given in the trace file shape ({@code info} as {@code Trace.to_dict()} writes
   * it, and the {@code traces.json} bytes). Sending the same trace again must be harmless.
   *
   * @throws DeliveryException when the backend could not be reached or refused the trace
   */
  void send(String traceId, Map<String, Object> info, byte[] spansJson) throws DeliveryException;

  /** Answers when the backend is up; used to probe one that was down. */
  void checkHealth() throws DeliveryException;

  /** Where traces go, for log lines. */
  String describe();

  void close();
}
