package org.mlflow.agent.integration.googlegenai;

import static org.mlflow.agent.integration.JdkValues.string;

import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.integration.ContentRenderer;
import org.mlflow.agent.integration.SpanContent;

/**
 * A {@code generateContent} call or one of its model requests, as MLflow's Python Gemini autolog
 * records them: the arguments (model, contents, config) as inputs, the {@code
 * GenerateContentResponse} as outputs, both as the SDK's own JSON, in the {@code gemini} format.
 *
 * <p>A call whose automatic function calling loop made several requests is a {@code CHAIN} over
 * one span per request; the usage is on those spans only, so the trace counts each token once.
 */
final class GenerateContentRenderer implements ContentRenderer {

  static final String PROVIDER = "google";
  static final String MESSAGE_FORMAT = "gemini";

  private final GenAiJson json;
  private final GeminiTools tools;

  GenerateContentRenderer(GenAiJson json) {
    this.json = json;
    this.tools = new GeminiTools(json);
  }

  @Override
  public void render(Span span, SpanContent content) throws Exception {
    Object[] arguments = (Object[]) span.request();
    content.provider(PROVIDER).messageFormat(MESSAGE_FORMAT)
        .inputs(json.inputs(arguments))
        .model((String) arguments[0])
        .tools(tools.definitions(arguments[2]));
    boolean ranToolLoop = span.stepCount() > 1;
    if (ranToolLoop) {
      content.spanType("CHAIN");
    }
    if (span.response() == null) {
      return;
    }
    Object response = json.response(span.response());
    content.outputs(response);
    String servedModel = string(response, "modelVersion");
    if (servedModel != null) {
      content.model(servedModel);
    }
    if (!ranToolLoop) {
      content.tokenUsage(GeminiUsage.of(response));
    }
  }
}
