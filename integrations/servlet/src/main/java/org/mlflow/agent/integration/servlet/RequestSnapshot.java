package org.mlflow.agent.integration.servlet;

/**
 * What a request root keeps of its request, read on the request's thread while the request is
 * valid (containers recycle request objects once the request is done).
 */
final class RequestSnapshot {

  final String method;
  final String path;
  final String user;
  final String session;

  RequestSnapshot(String method, String path, String user, String session) {
    this.method = method;
    this.path = path;
    this.user = user;
    this.session = session;
  }
}
