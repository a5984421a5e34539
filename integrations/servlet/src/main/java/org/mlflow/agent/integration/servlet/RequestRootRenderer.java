package org.mlflow.agent.integration.servlet;

import java.util.LinkedHashMap;
import java.util.Map;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.integration.ContentRenderer;
import org.mlflow.agent.integration.SpanContent;

/**
 * A request root span: inputs the method and path, outputs the response status, and the
 * request's user and session as MLflow's trace metadata ({@code mlflow.trace.user}, {@code
 * mlflow.trace.session}, the keys Python's {@code mlflow.update_current_trace} uses).
 */
final class RequestRootRenderer implements ContentRenderer {

  static final String TRACE_USER = "mlflow.trace.user";
  static final String TRACE_SESSION = "mlflow.trace.session";

  @Override
  public void render(Span span, SpanContent content) {
    if (!(span.request() instanceof RequestSnapshot)) {
      return;
    }
    RequestSnapshot request = (RequestSnapshot) span.request();
    Map<String, Object> inputs = new LinkedHashMap<>();
    inputs.put("method", request.method);
    inputs.put("path", request.path);
    content.inputs(inputs);
    if (span.response() instanceof Integer) {
      content.outputs(Map.of("status_code", span.response()));
    }
    if (request.user != null) {
      content.traceMetadata(TRACE_USER, request.user);
    }
    if (request.session != null) {
      content.traceMetadata(TRACE_SESSION, request.session);
    }
  }
}
