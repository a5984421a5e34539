package org.mlflow.agent.sink;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;

/** Turns HTTP failures into {@link DeliveryException}s whose message says what to fix. */
final class HttpErrors {

  static final String TLS_FIX = "add the server's CA certificate to the JVM trust store"
      + " (-Djavax.net.ssl.trustStore=...), or, for a test server only, set"
      + " MLFLOW_TRACKING_INSECURE_TLS=true";

  private HttpErrors() {}

  /** The server's answer cut to a readable length. */
  static String shorten(String text) {
    return text.length() > 300 ? text.substring(0, 300) + "..." : text;
  }

  /**
   * A request that got no answer. A TLS failure is a settings problem (a certificate this JVM does
   * not trust will not become trusted by retrying); anything else (refused, reset, timed out) may
   * pass, as when the server restarts.
   */
  static DeliveryException transportFailure(String what, IOException failure) {
    SSLException tls = tlsCause(failure);
    if (tls != null) {
      String problem = tls instanceof SSLPeerUnverifiedException
          ? "the server's certificate does not name the host it was reached by"
          : "TLS handshake failed, most likely because this JVM does not trust the server's"
              + " certificate";
      return DeliveryException.settings(what + " failed: " + problem + " (" + tls.getMessage()
          + "); " + TLS_FIX, -1, failure);
    }
    return new DeliveryException(what + " failed: " + reachability(failure), true, -1, failure);
  }

  /** Why nothing answered, in the user's terms where the failure says it. */
  private static String reachability(IOException failure) {
    if (failure instanceof UnknownHostException) {
      return "the host name " + failure.getMessage() + " does not resolve (DNS)";
    }
    if (failure instanceof ConnectException) {
      return "nothing accepts connections there (" + failure.getMessage() + ")";
    }
    if (failure instanceof SocketTimeoutException) {
      return "no answer in time (" + failure.getMessage() + ")";
    }
    return failure.toString();
  }

  private static SSLException tlsCause(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof SSLException) {
        return (SSLException) cause;
      }
    }
    return null;
  }
}
