package org.mlflow.agent.integration;

/**
 * The inbound request headers whose values name the user and the session of a request, as the
 * user configured them ({@code MLFLOW_AGENT_USER_HEADER}, {@code MLFLOW_AGENT_SESSION_HEADER});
 * null when not configured. No other header is ever read.
 */
public final class IdentityHeaders {

  private final String userHeader;
  private final String sessionHeader;

  public IdentityHeaders(String userHeader, String sessionHeader) {
    this.userHeader = userHeader;
    this.sessionHeader = sessionHeader;
  }

  public String userHeader() {
    return userHeader;
  }

  public String sessionHeader() {
    return sessionHeader;
  }
}
