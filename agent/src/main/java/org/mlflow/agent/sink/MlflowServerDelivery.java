package org.mlflow.agent.sink;

import java.util.Map;
import org.mlflow.agent.export.OtlpEncoder;

/**
 * Delivers traces to an MLflow tracking server the best way it takes: over OTLP where the server
 * stores spans itself (a SQL store, MLflow 3.4+), else through the REST API. A trace the server
 * turns away from OTLP because its store cannot take spans there (501) is sent the REST way at
 * once, and so is every later one: nothing of it was stored, so nothing is lost or half written.
 */
public final class MlflowServerDelivery implements TraceDelivery {

  private final MlflowRestClient client;
  private final ServerCapabilities capabilities;
  private final OtlpDelivery otlp;
  private final OtlpDelivery otlpGzip;

  /** @param agentVersion named in the OTLP requests' instrumentation scope */
  public MlflowServerDelivery(MlflowRestClient client, String serviceName, String agentVersion) {
    this.client = client;
    this.capabilities = new ServerCapabilities(client);
    OtlpEncoder encoder =
        new OtlpEncoder(OtlpEncoder.Target.MLFLOW_SERVER, serviceName, agentVersion);
    this.otlp = new OtlpDelivery(client, encoder, false);
    this.otlpGzip = new OtlpDelivery(client, encoder, true);
  }

  @Override
  public void send(String traceId, Map<String, Object> info, byte[] spansJson)
      throws DeliveryException {
    ServerCapabilities.Way way = capabilities.way();
    if (way != ServerCapabilities.Way.REST) {
      try {
        (way == ServerCapabilities.Way.OTLP_GZIP ? otlpGzip : otlp).send(info, spansJson);
        return;
      } catch (OtlpDelivery.NotTaken refused) {
        capabilities.otlpRefused(refused.answer());
      }
    }
    client.send(traceId, info, spansJson);
  }

  @Override
  public void checkHealth() throws DeliveryException {
    client.checkHealth();
  }

  @Override
  public String describe() {
    return client.describe();
  }

  @Override
  public void close() {
    client.close();
  }
}
