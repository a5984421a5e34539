package org.mlflow.agent.sink;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import org.mlflow.agent.config.AgentConfig;

/** The HTTP client the agent talks to tracking servers and storage with. */
final class HttpClients {

  static final long IDLE_CONNECTION_MILLIS = 1500;

  private HttpClients() {}

  /**
   * HTTPS is verified against the JVM's trust store ({@code javax.net.ssl.trustStore} or the
   * JDK's cacerts), unless {@code insecureTls}: then any certificate and host name is accepted, as
   * {@code MLFLOW_TRACKING_INSECURE_TLS=true} does in MLflow's Python client.
   */
  static OkHttpClient create(boolean insecureTls) {
    OkHttpClient.Builder builder = new OkHttpClient.Builder()
        .connectTimeout(Duration.ofSeconds(5))
        .readTimeout(Duration.ofSeconds(15))
        .writeTimeout(Duration.ofSeconds(15))
        .callTimeout(Duration.ofSeconds(30))
        .retryOnConnectionFailure(false) // the sender retries, with backoff
        // Idle connections are dropped before the server drops them (uvicorn after 5 s, gunicorn
        // after 2 s): reusing one the server just closed fails the request ("unexpected end of
        // stream"), which at exit costs a trace its delivery.
        // One idle connection per sender thread at most, so each keeps its own between traces.
        .connectionPool(new ConnectionPool(AgentConfig.MAX_SENDER_THREADS, IDLE_CONNECTION_MILLIS,
            TimeUnit.MILLISECONDS));
    if (insecureTls) {
      X509TrustManager trustAll = new TrustAll();
      try {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {trustAll}, new SecureRandom());
        builder.sslSocketFactory(context.getSocketFactory(), trustAll)
            .hostnameVerifier((host, session) -> true);
      } catch (GeneralSecurityException noTls) {
        throw new IllegalStateException("this JVM has no TLS implementation", noTls);
      }
    }
    return builder.build();
  }

  /** Accepts every certificate: only ever used when the user turned verification off. */
  private static final class TrustAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
