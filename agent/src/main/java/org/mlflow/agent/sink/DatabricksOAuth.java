package org.mlflow.agent.sink;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.function.LongSupplier;
import okhttp3.Credentials;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.mlflow.agent.AgentJar;
import org.mlflow.agent.export.JsonCodec;

/**
 * Databricks OAuth machine-to-machine credentials: a service principal's client id and secret
 * traded for an access token at {@code {host}/oidc/v1/token}, kept until shortly before it expires
 * and then fetched again. The secret travels only in that request's Authorization header; it never
 * reaches a message, a log line or a span.
 */
final class DatabricksOAuth implements Authorizer {

  static final String VARIABLES = "DATABRICKS_CLIENT_ID / DATABRICKS_CLIENT_SECRET";
  /** A token is renewed this long before it expires (at most half its lifetime). */
  static final long RENEW_AHEAD_MILLIS = 60_000;

  private final HttpUrl tokenUrl;
  private final String clientId;
  private final String basicCredentials;
  private final OkHttpClient http;
  private final LongSupplier clock;

  private String accessToken;
  private long renewAtMillis;

  DatabricksOAuth(HttpUrl host, String clientId, String clientSecret, OkHttpClient http,
      LongSupplier clock) {
    this.tokenUrl = host.resolve("oidc/v1/token");
    this.clientId = clientId;
    this.basicCredentials = Credentials.basic(clientId, clientSecret);
    this.http = http;
    this.clock = clock;
  }

  @Override
  public synchronized String header() throws DeliveryException {
    if (accessToken == null || clock.getAsLong() >= renewAtMillis) {
      fetchToken();
    }
    return "Bearer " + accessToken;
  }

  @Override
  public synchronized void refused() {
    accessToken = null; // revoked or expired early: the next request fetches a new one
  }

  @Override
  public String variables() {
    return VARIABLES;
  }

  private void fetchToken() throws DeliveryException {
    Request request = new Request.Builder()
        .url(tokenUrl)
        .header("User-Agent", "mlflow-tracing-agent/" + AgentJar.version())
        .header("Authorization", basicCredentials)
        .post(new FormBody.Builder()
            .add("grant_type", "client_credentials")
            .add("scope", "all-apis")
            .build())
        .build();
    long requestedAt = clock.getAsLong();
    String what = "the Databricks OAuth token request (" + tokenUrl + ", client id " + clientId
        + ")";
    try (Response response = http.newCall(request).execute()) {
      ResponseBody body = response.body();
      String text = body == null ? "" : body.string();
      int code = response.code();
      if (code == 400 || code == 401 || code == 403) {
        throw DeliveryException.settings(what + " answered HTTP " + code + ": "
            + HttpErrors.shorten(text) + "; check " + VARIABLES, code, null);
      }
      if (!response.isSuccessful()) {
        throw DeliveryException.httpStatus(what + " answered HTTP " + code + ": "
            + HttpErrors.shorten(text), code, code == 429 || code >= 500, -1);
      }
      JsonNode reply = JsonCodec.mapper().readTree(text);
      String token = reply.path("access_token").asText(null);
      if (token == null || token.isEmpty()) {
        throw new DeliveryException(what + " answered without an access_token", true, -1, null);
      }
      long lifetimeMillis = Math.max(0, reply.path("expires_in").asLong(3600)) * 1000;
      accessToken = token;
      renewAtMillis = requestedAt + lifetimeMillis
          - Math.min(RENEW_AHEAD_MILLIS, lifetimeMillis / 2);
    } catch (DeliveryException failed) {
      throw failed;
    } catch (IOException unreachable) {
      throw HttpErrors.transportFailure(what, unreachable);
    }
  }
}
