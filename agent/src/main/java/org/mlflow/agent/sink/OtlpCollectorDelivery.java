package org.mlflow.agent.sink;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.mlflow.agent.AgentJar;
import org.mlflow.agent.export.OtlpEncoder;

/**
 * Sends traces to any OpenTelemetry collector or backend over OTLP/HTTP (gzip-compressed
 * protobuf), to the full traces URL of {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}, with the
 * {@code gen_ai.*} attributes beside MLflow's. Retries follow the OTLP specification: 429, 502,
 * 503 and 504 (and connection failures) may pass; any other refusal is final.
 */
public final class OtlpCollectorDelivery implements TraceDelivery {

  private static final MediaType PROTOBUF = MediaType.get("application/x-protobuf");

  private final HttpUrl endpoint;
  private final Map<String, String> headers;
  private final OtlpEncoder encoder;
  private final OkHttpClient http;

  /**
   * @param headers sent with every request (e.g. an API key); never logged
   * @param serviceName the resource's {@code service.name}
   */
  public OtlpCollectorDelivery(URI endpoint, Map<String, String> headers, String serviceName) {
    this.endpoint = HttpUrl.get(endpoint.toString());
    this.headers = Map.copyOf(headers);
    this.encoder = new OtlpEncoder(OtlpEncoder.Target.COLLECTOR, serviceName, AgentJar.version());
    this.http = new OkHttpClient.Builder()
        .connectTimeout(Duration.ofSeconds(5))
        .readTimeout(Duration.ofSeconds(15))
        .writeTimeout(Duration.ofSeconds(15))
        .callTimeout(Duration.ofSeconds(30))
        .retryOnConnectionFailure(false) // the sender retries, with backoff
        .build();
  }

  @Override
  public void send(String traceId, Map<String, Object> info, byte[] spansJson)
      throws DeliveryException {
    byte[] request;
    try {
      request = encoder.encodeGzipped(spansJson);
    } catch (IOException unreadable) {
      throw new DeliveryException("cannot encode the spans as OTLP: " + unreadable, false, -1,
          unreadable);
    }
    post(request, true, "OTLP span export");
  }

  /** Posts an export request with no spans: the collector answers it like any other. */
  @Override
  public void checkHealth() throws DeliveryException {
    post(new byte[0], false, "OTLP health check");
  }

  @Override
  public String describe() {
    return "OTLP collector " + endpoint.newBuilder().username("").password("").query(null).build();
  }

  @Override
  public void close() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  private void post(byte[] body, boolean gzipped, String what) throws DeliveryException {
    Request.Builder request = new Request.Builder().url(endpoint)
        .header("User-Agent", "mlflow-tracing-agent/" + AgentJar.version())
        .post(RequestBody.create(body, PROTOBUF));
    headers.forEach(request::header);
    if (gzipped) {
      request.header("Content-Encoding", "gzip");
    }
    try (Response response = http.newCall(request.build()).execute()) {
      if (response.isSuccessful()) {
        return;
      }
      int code = response.code();
      String text = response.body() == null ? "" : response.body().string();
      boolean retryable = code == 408 || code == 429 || code == 502 || code == 503 || code == 504;
      throw DeliveryException.httpStatus(what + " answered HTTP " + code + ": "
          + (text.length() > 300 ? text.substring(0, 300) + "..." : text), code, retryable,
          MlflowRestClient.retryAfterMillis(response.header("Retry-After")));
    } catch (DeliveryException refused) {
      throw refused;
    } catch (IOException unreachable) {
      throw new DeliveryException(what + " failed: " + unreachable, true, -1, unreachable);
    } catch (Exception interrupted) {
      // OkHttp (Kotlin) can throw InterruptedException unchecked when the sender is stopped.
      if (interrupted instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new DeliveryException(what + " stopped: " + interrupted, true, -1, interrupted);
    }
  }
}
