package org.mlflow.agent.integration.bedrock;

import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.integration.SpanContent;

/**
 * Puts the id AWS gave a call on its span as {@code aws.request_id} (the OpenTelemetry name):
 * Bedrock responses have no response id, and this id is what AWS support asks for.
 */
final class RequestIds {

  static final String ATTRIBUTE = "aws.request_id";

  private RequestIds() {}

  /** From the call's response, or from the service's exception when the call failed. */
  static void record(Span span, SpanContent content) throws ReflectiveOperationException {
    String id = SdkValues.requestId(span.response());
    if (id == null) {
      id = SdkValues.requestId(span.error());
    }
    if (id != null) {
      content.attribute(ATTRIBUTE, id);
    }
  }
}
