package org.mlflow.agent.sink;

/** The Authorization header the agent sends to the tracking server, and where it comes from. */
interface Authorizer {

  /** The header value for the next request, or null to send none. */
  String header() throws DeliveryException;

  /** The variables the user sets to change the credentials, for messages on 401 and 403. */
  String variables();

  /** The server answered 401 to the last header: a cached token is not to be used again. */
  default void refused() {}

  /** A header that never changes: a bearer token or basic credentials; null for none. */
  static Authorizer fixed(String header, String variables) {
    return new Authorizer() {
      @Override
      public String header() {
        return header;
      }

      @Override
      public String variables() {
        return variables;
      }
    };
  }
}
