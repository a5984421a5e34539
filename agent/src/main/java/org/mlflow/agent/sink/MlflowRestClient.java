package org.mlflow.agent.sink;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
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
import org.mlflow.agent.export.JsonCodec;
import org.mlflow.agent.export.MlflowJson;

/**
 * An MLflow tracking server's REST API, or a Databricks workspace's, as the agent uses it.
 *
 * <p>On an MLflow server a trace is sent in the order that never leaves it half written: its spans
 * ({@code traces.json}) are uploaded through the server's artifact proxy to where the trace's
 * artifacts will live, and only then is the trace registered with StartTraceV3. A trace the server
 * lists can therefore always be opened. Sending the same trace again is harmless: the server
 * updates it (the file store answers a repeated StartTraceV3 with a 500; a trace it already holds
 * then counts as delivered).
 *
 * <p>On Databricks the storage URL for the spans is only signed for a registered trace, so
 * StartTraceV3 comes first and the spans are written right after it; until both have succeeded
 * the delivery is not done, and is retried or spooled like any other, so a trace is never left
 * without its spans for good.
 *
 * <p>Used by one thread at a time (the agent's sender thread, or the {@code upload} command).
 */
public final class MlflowRestClient {

  private static final MediaType JSON = MediaType.get("application/json");
  private static final MediaType PROTOBUF = MediaType.get("application/x-protobuf");
  private static final String ARTIFACT_SCHEME = "mlflow-artifacts";

  /** The header MLflow servers with workspaces enabled read the workspace from. */
  static final String WORKSPACE_HEADER = "X-MLFLOW-WORKSPACE";
  private static final String MLFLOW_CREDENTIALS =
      "MLFLOW_TRACKING_TOKEN, or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD";

  private final HttpUrl trackingUrl;
  private final String displayUri;
  private final String configuredExperimentId;
  private final String experimentName;
  private final Authorizer authorizer;
  private final String workspace;
  private final boolean databricks;
  private final OkHttpClient http;
  private final SignedUrlUpload signedUpload;
  /** Resolved once: the experiment's id and artifact root. */
  private String experimentId;
  private String experimentArtifactRoot;

  /**
   * A client for an MLflow server over plain HTTP or verified HTTPS, without workspace.
   *
   * @param experimentName used when {@code experimentId} is null: the experiment is found, or
   *     created, by this name
   * @param authorization the Authorization header value, or null
   */
  public MlflowRestClient(URI trackingUri, String displayUri, String experimentId,
      String experimentName, String authorization) {
    this(trackingUri, displayUri, experimentId, experimentName,
        Authorizer.fixed(authorization, MLFLOW_CREDENTIALS), null, false,
        HttpClients.create(false));
  }

  MlflowRestClient(URI trackingUri, String displayUri, String experimentId, String experimentName,
      Authorizer authorizer, String workspace, boolean databricks, OkHttpClient http) {
    String base = trackingUri.toString();
    // Resolve API paths below the tracking URI's own path, e.g. a server behind /mlflow/.
    this.trackingUrl = HttpUrl.get(base.endsWith("/") ? base : base + "/");
    this.displayUri = displayUri;
    this.configuredExperimentId = experimentId;
    this.experimentName = experimentName;
    this.authorizer = authorizer;
    this.workspace = workspace;
    this.databricks = databricks;
    this.http = http;
    this.signedUpload = new SignedUrlUpload(http);
  }

  /** The client for the configured tracking server; null when no server is configured. */
  public static MlflowRestClient forConfig(AgentConfig config) {
    if (config.trackingUri() == null) {
      return null;
    }
    if (config.insecureTls()) {
      AgentLog.warn("MLFLOW_TRACKING_INSECURE_TLS=true: the agent does not verify the TLS"
          + " certificate of " + config.trackingUriForDisplay() + "; use it for test servers only.");
    }
    OkHttpClient http = HttpClients.create(config.insecureTls());
    return new MlflowRestClient(
        config.trackingUri(),
        config.trackingUriForDisplay(),
        config.experimentName() != null ? null : config.experimentId(),
        config.experimentName(),
        authorizer(config, http),
        config.workspace(),
        config.databricks(),
        http);
  }

  private static Authorizer authorizer(AgentConfig config, OkHttpClient http) {
    if (config.databricks()) {
      if (config.databricksToken() != null) {
        return Authorizer.fixed("Bearer " + config.databricksToken(), "DATABRICKS_TOKEN");
      }
      if (config.databricksClientId() != null) {
        return new DatabricksOAuth(HttpUrl.get(config.trackingUri()), config.databricksClientId(),
            config.databricksClientSecret(), http, System::currentTimeMillis);
      }
      return Authorizer.fixed(null, "DATABRICKS_TOKEN, or DATABRICKS_CLIENT_ID and"
          + " DATABRICKS_CLIENT_SECRET");
    }
    String header = authorization(config.trackingToken(), config.trackingUsername(),
        config.trackingPassword());
    String variables = config.trackingUsername() != null
        ? "MLFLOW_TRACKING_USERNAME / MLFLOW_TRACKING_PASSWORD"
        : config.trackingToken() != null ? "MLFLOW_TRACKING_TOKEN" : MLFLOW_CREDENTIALS;
    return Authorizer.fixed(header, variables);
  }

  /**
   * The Authorization header for basic credentials or a bearer token; null for neither. Basic
   * credentials win when both are set, as in MLflow's Python client.
   */
  static String authorization(String token, String username, String password) {
    if (username != null && password != null) {
      return Credentials.basic(username, password);
    }
    if (token != null) {
      return "Bearer " + token;
    }
    return null;
  }

  /** Where traces go, for log lines: the server and the experiment as configured. */
  public String describe() {
    return (databricks ? "Databricks workspace " : "MLflow server ") + displayUri + " (experiment "
        + (experimentName != null ? "\"" + experimentName + "\"" : configuredExperimentId) + ")";
  }

  /**
   * Delivers one trace given in the trace file shape ({@code info} as {@code Trace.to_dict()}
   * writes it, and the {@code traces.json} bytes): spans first, then StartTraceV3, filed under the
   * configured experiment.
   *
   * @throws DeliveryException when the server could not be reached or refused; nothing is listed
   */
  public void send(String traceId, Map<String, Object> info, byte[] spansJson)
      throws DeliveryException {
    resolveExperiment();
    if (databricks) {
      sendToDatabricks(traceId, info, spansJson);
      return;
    }
    String predicted = experimentArtifactRoot + "/traces/" + traceId + "/artifacts";
    uploadSpans(predicted, spansJson);
    JsonNode reply;
    try {
      reply = startTrace(info);
    } catch (DeliveryException failed) {
      if (failed.status() == 500 && traceExists(traceId)) {
        return; // the file store answers a repeated StartTraceV3 with a 500; this one arrived
      }
      throw failed;
    }
    JsonNode tags = reply.path("trace").path("trace_info").path("tags");
    String location = tags.path("mlflow.artifactLocation").asText(null);
    boolean spansInStore = "TRACKING_STORE".equals(tags.path("mlflow.trace.spansLocation").asText());
    if (!spansInStore && location != null && !location.equals(predicted)) {
      uploadSpans(location, spansJson);
    }
  }

  private void sendToDatabricks(String traceId, Map<String, Object> info, byte[] spansJson)
      throws DeliveryException {
    try {
      startTrace(info);
    } catch (DeliveryException failed) {
      // Sent before, its spans maybe not: write them (again) below.
      if (!failed.getMessage().contains("RESOURCE_ALREADY_EXISTS")) {
        throw failed;
      }
    }
    JsonNode credential = call(new Request.Builder()
        .url(trackingUrl.resolve("api/2.0/mlflow/traces/").newBuilder()
            .addPathSegment(traceId)
            .addPathSegment("credentials-for-data-upload")
            .build())
        .get(), "get the upload credential").path("credential_info");
    signedUpload.upload(credential, spansJson);
  }

  /**
   * StartTraceV3 with the whole trace info. Also registers a trace whose spans the server already
   * holds (sent over OTLP): what it lists the trace by wins over what the server derived from them.
   */
  public JsonNode startTrace(Map<String, Object> info) throws DeliveryException {
    resolveExperiment();
    byte[] startTrace = writeJson(MlflowJson.startTraceRequestFromFile(info, experimentId));
    return call(new Request.Builder()
        .url(trackingUrl.resolve("api/3.0/mlflow/traces"))
        .post(RequestBody.create(startTrace, JSON)),
        "StartTraceV3");
  }

  /** Whether the server already holds this trace; false when it cannot say. */
  private boolean traceExists(String traceId) {
    try {
      call(new Request.Builder()
          .url(trackingUrl.resolve("api/3.0/mlflow/traces/").newBuilder()
              .addPathSegment(traceId).build())
          .get(), "look up the trace");
      return true;
    } catch (DeliveryException unknown) {
      return false;
    }
  }

  /** Whether this is a Databricks workspace (which has no {@code /version}). */
  public boolean databricks() {
    return databricks;
  }

  /**
   * Sends a trace's spans to the server's OTLP endpoint ({@code POST /v1/traces}, protobuf),
   * filed under the configured experiment; the server stores them and creates the trace.
   *
   * @param request an OTLP {@code ExportTraceServiceRequest}
   * @param gzipped whether {@code request} is gzip-compressed
   * @throws DeliveryException as for {@link #send}; {@link DeliveryException#status()} 501 or
   *     404 when this server takes no spans this way
   */
  public void sendOtlpSpans(byte[] request, boolean gzipped) throws DeliveryException {
    resolveExperiment();
    Request.Builder post = new Request.Builder()
        .url(trackingUrl.resolve("v1/traces"))
        .header("x-mlflow-experiment-id", experimentId)
        .post(RequestBody.create(request, PROTOBUF));
    if (gzipped) {
      post.header("Content-Encoding", "gzip");
    }
    execute(post, "OTLP span export");
  }

  /** Answers when the server is up; used to probe a server that was down. */
  public void checkHealth() throws DeliveryException {
    execute(new Request.Builder().url(trackingUrl.resolve("health")).get(), "health check");
  }

  /** The server's MLflow version, as {@code GET /version} answers it. */
  public String serverVersion() throws DeliveryException {
    return execute(new Request.Builder().url(trackingUrl.resolve("version")).get(), "version")
        .trim();
  }

  /**
   * Finds (or, by name, creates) the experiment and checks the agent can write its traces there.
   *
   * @return its id and artifact root, for the doctor command
   */
  public String experimentSummary() throws DeliveryException {
    resolveExperiment();
    if (!databricks && !experimentArtifactRoot.toLowerCase(Locale.ROOT).startsWith(ARTIFACT_SCHEME + ":")) {
      throw new DeliveryException("experiment " + experimentId + " keeps artifacts at "
          + experimentArtifactRoot + ", which the agent cannot write through the server; start"
          + " the server with --serve-artifacts, or use an experiment created since", false, -1,
          null);
    }
    return "experiment " + experimentId + ", artifacts at " + experimentArtifactRoot;
  }

  public void close() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  /** Synchronized: the senders call it at once, and the experiment is looked up (or made) once. */
  private synchronized void resolveExperiment() throws DeliveryException {
    if (experimentArtifactRoot != null) {
      return;
    }
    JsonNode experiment = configuredExperimentId != null
        ? getExperiment("api/2.0/mlflow/experiments/get", "experiment_id", configuredExperimentId)
        : findOrCreateExperiment();
    String root = experiment.path("artifact_location").asText(databricks ? "" : null);
    if (root == null) {
      throw new DeliveryException("the experiment has no artifact location: "
          + experiment, false, -1, null);
    }
    if ("deleted".equals(experiment.path("lifecycle_stage").asText())) {
      throw new DeliveryException("experiment " + experiment.path("experiment_id").asText() + " ("
          + experiment.path("name").asText() + ") is deleted: restore it, or set"
          + " MLFLOW_EXPERIMENT_ID / MLFLOW_EXPERIMENT_NAME to another", false, -1, null);
    }
    experimentId = experiment.path("experiment_id").asText();
    experimentArtifactRoot = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
  }

  private JsonNode findOrCreateExperiment() throws DeliveryException {
    try {
      return getExperiment("api/2.0/mlflow/experiments/get-by-name", "experiment_name",
          experimentName);
    } catch (DeliveryException notFound) {
      if (!notFound.getMessage().contains("RESOURCE_DOES_NOT_EXIST")) {
        throw notFound;
      }
    }
    try {
      call(new Request.Builder()
          .url(trackingUrl.resolve("api/2.0/mlflow/experiments/create"))
          .post(RequestBody.create(writeJson(Map.of("name", experimentName)), JSON)),
          "create experiment \"" + experimentName + "\"");
    } catch (DeliveryException raced) {
      // Another JVM may have created it meanwhile; the look-up below decides.
      if (!raced.getMessage().contains("RESOURCE_ALREADY_EXISTS")) {
        throw raced;
      }
    }
    return getExperiment("api/2.0/mlflow/experiments/get-by-name", "experiment_name",
        experimentName);
  }

  private JsonNode getExperiment(String path, String parameter, String value)
      throws DeliveryException {
    HttpUrl url = trackingUrl.resolve(path).newBuilder()
        .addQueryParameter(parameter, value)
        .build();
    return call(new Request.Builder().url(url).get(), "look up the experiment").path("experiment");
  }

  private void uploadSpans(String artifactLocation, byte[] spans) throws DeliveryException {
    URI location = URI.create(artifactLocation);
    if (!ARTIFACT_SCHEME.equals(String.valueOf(location.getScheme()).toLowerCase(Locale.ROOT))) {
      throw new DeliveryException("the experiment's artifacts live at " + artifactLocation
          + ", which only the MLflow server's artifact proxy (mlflow-artifacts:/) lets the agent"
          + " write; start the server with --serve-artifacts", false, -1, null);
    }
    String path = location.getPath().replaceFirst("^/+", "");
    HttpUrl url = trackingUrl.resolve("api/2.0/mlflow-artifacts/artifacts/").newBuilder()
        .addPathSegments(path)
        .addPathSegment("traces.json")
        .build();
    call(new Request.Builder().url(url).put(RequestBody.create(spans, JSON)), "upload traces.json");
  }

  private JsonNode call(Request.Builder request, String what) throws DeliveryException {
    String text = execute(request, what);
    try {
      return text.isEmpty() ? JsonCodec.mapper().createObjectNode() : JsonCodec.mapper().readTree(text);
    } catch (IOException notJson) {
      // Cut short, or not the MLflow API answering (a proxy's error page): worth another try.
      throw new DeliveryException(what + " answered with no JSON: " + notJson, true, -1, notJson);
    }
  }

  /** The answer's body; throws for anything but a 2xx. */
  private String execute(Request.Builder request, String what) throws DeliveryException {
    request.header("User-Agent", "mlflow-tracing-agent/" + AgentJar.version());
    String authorization = authorizer.header();
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    if (workspace != null) {
      request.header(WORKSPACE_HEADER, workspace);
    }
    try (Response response = http.newCall(request.build()).execute()) {
      ResponseBody body = response.body();
      String text = body == null ? "" : body.string();
      if (!response.isSuccessful()) {
        int code = response.code();
        String answer = what + " answered HTTP " + code + ": " + HttpErrors.shorten(text);
        if (code == 401) {
          authorizer.refused();
          throw DeliveryException.settings(answer + "; the credentials were refused: check "
              + authorizer.variables(), code, null);
        }
        if (code == 403) {
          throw DeliveryException.settings(answer + "; the credentials lack the permission: check "
              + authorizer.variables() + " (and the experiment's permissions)", code, null);
        }
        boolean retryable = code == 408 || code == 429 || code >= 500;
        throw DeliveryException.httpStatus(answer, code, retryable,
            retryAfterMillis(response.header("Retry-After")));
      }
      return text;
    } catch (DeliveryException refused) {
      throw refused;
    } catch (IOException unreachable) {
      // Refused, reset, timed out, cut short or a TLS failure.
      throw HttpErrors.transportFailure(what + " (" + displayUri + ")", unreachable);
    } catch (Exception interrupted) {
      // OkHttp (Kotlin) can throw InterruptedException unchecked when the sender is stopped.
      if (interrupted instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new DeliveryException(what + " stopped: " + interrupted, true, -1, interrupted);
    }
  }

  /** Retry-After as seconds or as an HTTP date; -1 when absent or unreadable. */
  static long retryAfterMillis(String header) {
    if (header == null || header.isBlank()) {
      return -1;
    }
    try {
      return Math.max(0, Long.parseLong(header.trim()) * 1000);
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime when = ZonedDateTime.parse(header.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
        return Math.max(0, when.toInstant().toEpochMilli() - System.currentTimeMillis());
      } catch (RuntimeException notADate) {
        return -1;
      }
    }
  }

  private static byte[] writeJson(Object value) throws DeliveryException {
    try {
      return JsonCodec.mapper().writeValueAsBytes(value);
    } catch (IOException impossible) {
      throw new DeliveryException("cannot write JSON: " + impossible, false, -1, impossible);
    }
  }
}
