package org.mlflow.agent.sink;

import java.io.IOException;
import java.util.Map;
import org.mlflow.agent.export.OtlpEncoder;

/**
 * MLflow's OTLP way in, as MLflow's Python client takes it: the spans to {@code POST /v1/traces}
 * (the server stores them and creates the trace), then StartTraceV3 with the whole trace info, so
 * the trace is listed with the same previews, token usage, name and metadata as on the REST way.
 * Spans first: a trace the server lists can always be opened. Sending twice is harmless: the
 * server upserts spans by id and StartTraceV3 by trace id.
 */
final class OtlpDelivery {

  private final MlflowRestClient client;
  private final OtlpEncoder encoder;
  private final boolean gzip;

  /** @param gzip whether the server takes a gzip-compressed body */
  OtlpDelivery(MlflowRestClient client, OtlpEncoder encoder, boolean gzip) {
    this.client = client;
    this.encoder = encoder;
    this.gzip = gzip;
  }

  /**
   * @throws NotTaken when the server takes no spans this way (nothing was stored then)
   * @throws DeliveryException when the server could not be reached or refused the trace
   */
  void send(Map<String, Object> info, byte[] spansJson) throws DeliveryException, NotTaken {
    byte[] request;
    try {
      request = gzip ? encoder.encodeGzipped(spansJson) : encoder.encode(spansJson);
    } catch (IOException unreadable) {
      throw new DeliveryException("cannot encode the spans as OTLP: " + unreadable, false, -1,
          unreadable);
    }
    try {
      client.sendOtlpSpans(request, gzip);
    } catch (DeliveryException failure) {
      if (ServerCapabilities.meansNoOtlp(failure)) {
        throw new NotTaken(failure);
      }
      throw failure;
    }
    client.startTrace(info);
  }

  /** The server's answer that it takes no spans over OTLP. */
  static final class NotTaken extends Exception {

    private static final long serialVersionUID = 1L;

    private final DeliveryException answer;

    NotTaken(DeliveryException answer) {
      super(answer.getMessage(), answer);
      this.answer = answer;
    }

    DeliveryException answer() {
      return answer;
    }
  }
}
