package org.mlflow.agent.integration.bedrock;

import java.nio.charset.StandardCharsets;

/**
 * The bodies InvokeModel sends and receives, in each model family's own format: read as JSON, or
 * as text when a body is not JSON (as MLflow's Python autolog does).
 */
final class ModelBodies {

  private ModelBodies() {}

  /** The {@code body()} of an InvokeModel request or response, or of a streamed payload part. */
  static Object bodyOf(Object sdkObject, String member) throws ReflectiveOperationException {
    Object sdkBytes = PublicMethods.call(sdkObject, member);
    if (sdkBytes == null) {
      return null;
    }
    byte[] bytes = (byte[]) PublicMethods.call(sdkBytes, "asByteArray");
    Object json = SdkJson.parse(bytes, sdkObject.getClass().getClassLoader());
    return json != null ? json : new String(bytes, StandardCharsets.UTF_8);
  }
}
