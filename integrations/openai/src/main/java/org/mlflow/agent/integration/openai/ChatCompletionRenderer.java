package org.mlflow.agent.integration.openai;

import static org.mlflow.agent.integration.JdkValues.number;
import static org.mlflow.agent.integration.JdkValues.string;

import java.lang.reflect.Method;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.integration.ContentRenderer;
import org.mlflow.agent.integration.LibraryJson;
import org.mlflow.agent.integration.SpanContent;
import org.mlflow.agent.integration.TokenUsage;

/**
 * A chat completion as MLflow's Python OpenAI autolog records it: the request body as inputs, the
 * {@code ChatCompletion} as outputs, both exactly as the SDK's own JSON reads.
 *
 * <p>Only the request body is read: headers, query parameters and the client's API key live
 * elsewhere (params headers, {@code ClientOptions}) and are never touched.
 */
final class ChatCompletionRenderer implements ContentRenderer {

  private final LibraryJson sdkJson = new LibraryJson("com.openai.core.ObjectMappers", "jsonMapper");

  @Override
  public void render(Span span, SpanContent content) throws Exception {
    content.provider("openai").messageFormat("openai");
    Object request = sdkJson.toJdkValue(requestBody(span.request()));
    Object completion = span.response();
    content.inputs(request).model(string(request, "model"));
    if (completion == null) {
      return;
    }
    Object response = sdkJson.toJdkValue(completion);
    content.outputs(response);
    String servedModel = string(response, "model");
    if (servedModel != null) {
      content.model(servedModel);
    }
    Long promptTokens = number(response, "usage", "prompt_tokens");
    Long completionTokens = number(response, "usage", "completion_tokens");
    if (promptTokens != null && completionTokens != null) {
      content.tokenUsage(
          TokenUsage.of(promptTokens, completionTokens, number(response, "usage", "total_tokens")));
    }
  }

  private static Object requestBody(Object params) throws ReflectiveOperationException {
    if (params == null) {
      return null;
    }
    Method body = params.getClass().getMethod("_body");
    return body.invoke(params);
  }
}
