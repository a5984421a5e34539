package org.mlflow.agent.sink;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mlflow.agent.AgentLog;

/**
 * Which way into an MLflow tracking server to use, found out once per server and remembered.
 *
 * <p>OTLP ({@code POST /v1/traces}) when the server's {@code GET /version} is at least
 * {@value #OTLP_SINCE} (the version MLflow's Python client requires too), with a gzip-compressed
 * body from {@value #GZIP_SINCE}; until the server answers a span export with 501 (its store takes
 * no spans: a file store) or 404 (no such route), after which the REST way is used for good.
 */
final class ServerCapabilities {

  static final String OTLP_SINCE = "3.4";
  static final String GZIP_SINCE = "3.7";

  private static final Pattern MAJOR_MINOR = Pattern.compile("^\\s*(\\d+)\\.(\\d+)");

  enum Way {
    OTLP,
    OTLP_GZIP,
    REST
  }

  private final MlflowRestClient client;
  private volatile Way way;

  ServerCapabilities(MlflowRestClient client) {
    this.client = client;
  }

  /**
   * The way to send the next trace; asks the server's version the first time.
   *
   * @throws DeliveryException when the server cannot be reached to ask (it may answer later)
   */
  Way way() throws DeliveryException {
    Way known = way;
    return known != null ? known : firstWay();
  }

  /** The senders start at once: one asks the server, the others wait for its answer. */
  private synchronized Way firstWay() throws DeliveryException {
    if (way == null) {
      // Databricks has no /version and stores spans through signed URLs: always the REST way,
      // as MLflow's Python client does there.
      way = client.databricks() ? Way.REST : fromVersion();
    }
    return way;
  }

  /**
   * Whether an answer to a span export means the server takes no spans over OTLP, rather than
   * refusing this trace: 501, or 404 without an MLflow error code (the route is not there).
   */
  static boolean meansNoOtlp(DeliveryException failure) {
    return failure.status() == 501
        || (failure.status() == 404 && !failure.getMessage().contains("error_code"));
  }

  /** Remembers that the server takes no spans over OTLP: the REST way from now on. */
  synchronized void otlpRefused(DeliveryException answer) {
    if (way == Way.REST) {
      return; // another sender's trace was turned away first, and said so
    }
    way = Way.REST;
    AgentLog.info("the " + client.describe() + " does not take spans over OTLP ("
        + answer.getMessage() + "); sending traces through its REST API");
  }

  private Way fromVersion() throws DeliveryException {
    String version;
    try {
      version = client.serverVersion();
    } catch (DeliveryException failure) {
      // A busy server (429, 408) or refused credentials say nothing of its version: asked again
      // later. Only a server (or proxy) that has no /version gets the REST way for good.
      if (failure.status() >= 400 && failure.status() < 500
          && !failure.retryable() && !failure.settingsProblem()) {
        return Way.REST;
      }
      throw failure;
    }
    return wayFor(version);
  }

  /** The way to use with a server of this version ({@code GET /version}'s answer). */
  static Way wayFor(String version) {
    if (!atLeast(version, OTLP_SINCE)) {
      return Way.REST;
    }
    return atLeast(version, GZIP_SINCE) ? Way.OTLP_GZIP : Way.OTLP;
  }

  private static boolean atLeast(String version, String minimum) {
    Matcher actual = MAJOR_MINOR.matcher(version);
    Matcher wanted = MAJOR_MINOR.matcher(minimum);
    if (!actual.find() || !wanted.find()) {
      return false;
    }
    int major = Integer.parseInt(actual.group(1));
    int wantedMajor = Integer.parseInt(wanted.group(1));
    return major != wantedMajor
        ? major > wantedMajor
        : Integer.parseInt(actual.group(2)) >= Integer.parseInt(wanted.group(2));
  }
}
