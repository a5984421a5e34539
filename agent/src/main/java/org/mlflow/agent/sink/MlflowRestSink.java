package org.mlflow.agent.sink;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.Credentials;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.mlflow.agent.AgentJar;
import org.mlflow.agent.AgentLog;
import org.mlflow.agent.config.AgentConfig;
import org.mlflow.agent.export.ExportedTrace;
import org.mlflow.agent.export.JsonCodec;
import org.mlflow.agent.export.MlflowJson;

/**
 * An MLflow tracking server through its REST API, in the order that never leaves a trace half
 * written: the spans ({@code traces.json}) are uploaded through the server's artifact proxy to
 * where the trace's artifacts will live, and only then is the trace registered with StartTraceV3.
 * A trace the server lists can therefore always be opened.
 *
 * <p>A trace that cannot be delivered is written to the local folder instead, so nothing is lost.
 */
public final class MlflowRestSink implements TraceSink {

  private static final MediaType JSON = MediaType.get("application/json");
  private static final String ARTIFACT_SCHEME = "mlflow-artifacts";

  private final HttpUrl trackingUrl;
  private final String displayUri;
  private final String experimentId;
  private final String authorization;
  private final LocalFolderSink fallback;
  private final OkHttpClient http;
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong keptLocally = new AtomicLong();
  /** The experiment's artifact root, looked up once. */
  private String experimentArtifactRoot;

  /**
   * @param authorization the Authorization header value, or null
   */
  public MlflowRestSink(URI trackingUri, String displayUri, String experimentId,
      String authorization, LocalFolderSink fallback) {
    String base = trackingUri.toString();
    // Resolve API paths below the tracking URI's own path, e.g. a server behind /mlflow/.
    this.trackingUrl = HttpUrl.get(base.endsWith("/") ? base : base + "/");
    this.displayUri = displayUri;
    this.experimentId = experimentId;
    this.authorization = authorization;
    this.fallback = fallback;
    this.http = new OkHttpClient.Builder()
        .connectTimeout(Duration.ofSeconds(5))
        .readTimeout(Duration.ofSeconds(15))
        .writeTimeout(Duration.ofSeconds(15))
        .callTimeout(Duration.ofSeconds(30))
        .retryOnConnectionFailure(true)
        .build();
  }

  /** The sink for the configured tracking server; null when no server is configured. */
  public static MlflowRestSink forConfig(AgentConfig config, LocalFolderSink fallback) {
    if (config.trackingUri() == null) {
      return null;
    }
    return new MlflowRestSink(
        config.trackingUri(),
        config.trackingUriForDisplay(),
        config.experimentId(),
        authorization(config.trackingToken(), config.trackingUsername(),
            config.trackingPassword()),
        fallback);
  }

  /** The Authorization header for a bearer token or for basic credentials; null for neither. */
  static String authorization(String token, String username, String password) {
    if (token != null) {
      return "Bearer " + token;
    }
    if (username != null && password != null) {
      return Credentials.basic(username, password);
    }
    return null;
  }

  @Override
  public void export(ExportedTrace trace) {
    try {
      deliver(trace);
      delivered.incrementAndGet();
    } catch (IOException | RuntimeException failure) {
      AgentLog.warnOnce("mlflow-rest:" + failure.getClass().getName(),
          "could not send a trace to the MLflow server at " + displayUri
              + "; keeping traces in " + fallback.folder(), failure);
      fallback.export(trace);
      keptLocally.incrementAndGet();
    }
  }

  private void deliver(ExportedTrace trace) throws IOException {
    send(trace.traceId(),
        JsonCodec.mapper().writeValueAsBytes(MlflowJson.spansDocument(trace.spans())),
        JsonCodec.mapper().writeValueAsBytes(MlflowJson.startTraceRequest(trace)));
  }

  /**
   * Delivers one trace: its {@code traces.json} first, then its StartTraceV3 request.
   *
   * @throws IOException when the server could not be reached or refused; nothing is listed then
   */
  public void send(String traceId, byte[] spansJson, byte[] startTraceRequest) throws IOException {
    String predicted = artifactRoot() + "/traces/" + traceId + "/artifacts";
    uploadSpans(predicted, spansJson);
    JsonNode reply = call(new Request.Builder()
        .url(trackingUrl.resolve("api/3.0/mlflow/traces"))
        .post(RequestBody.create(startTraceRequest, JSON)),
        "StartTraceV3");
    JsonNode tags = reply.path("trace").path("trace_info").path("tags");
    String location = tags.path("mlflow.artifactLocation").asText(null);
    boolean spansInStore = "TRACKING_STORE".equals(tags.path("mlflow.trace.spansLocation").asText());
    if (!spansInStore && location != null && !location.equals(predicted)) {
      uploadSpans(location, spansJson);
    }
  }

  private String artifactRoot() throws IOException {
    if (experimentArtifactRoot == null) {
      HttpUrl url = trackingUrl.resolve("api/2.0/mlflow/experiments/get").newBuilder()
          .addQueryParameter("experiment_id", experimentId)
          .build();
      JsonNode reply = call(new Request.Builder().url(url).get(), "GetExperiment");
      String root = reply.path("experiment").path("artifact_location").asText(null);
      if (root == null) {
        throw new IOException("experiment " + experimentId + " has no artifact location");
      }
      experimentArtifactRoot = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    }
    return experimentArtifactRoot;
  }

  private void uploadSpans(String artifactLocation, byte[] spans) throws IOException {
    URI location = URI.create(artifactLocation);
    if (!ARTIFACT_SCHEME.equals(String.valueOf(location.getScheme()).toLowerCase(Locale.ROOT))) {
      throw new IOException("the experiment's artifacts live at " + artifactLocation
          + ", which only the MLflow server's artifact proxy (mlflow-artifacts:/) lets the agent"
          + " write; start the server with --serve-artifacts");
    }
    String path = location.getPath().replaceFirst("^/+", "");
    HttpUrl url = trackingUrl.resolve("api/2.0/mlflow-artifacts/artifacts/").newBuilder()
        .addPathSegments(path)
        .addPathSegment("traces.json")
        .build();
    call(new Request.Builder().url(url).put(RequestBody.create(spans, JSON)), "upload traces.json");
  }

  private JsonNode call(Request.Builder request, String what) throws IOException {
    request.header("User-Agent", "mlflow-tracing-agent/" + AgentJar.version());
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    try (Response response = http.newCall(request.build()).execute()) {
      ResponseBody body = response.body();
      String text = body == null ? "" : body.string();
      if (!response.isSuccessful()) {
        throw new IOException(what + " answered HTTP " + response.code() + ": "
            + (text.length() > 300 ? text.substring(0, 300) + "..." : text));
      }
      return text.isEmpty() ? JsonCodec.mapper().createObjectNode() : JsonCodec.mapper().readTree(text);
    }
  }

  @Override
  public String describe() {
    return "MLflow server " + displayUri + " (experiment " + experimentId + ")";
  }

  @Override
  public void close() {
    if (delivered.get() > 0) {
      AgentLog.info(delivered.get() + " trace(s) sent to " + describe());
    }
    if (keptLocally.get() > 0) {
      fallback.close();
    }
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }
}
