package org.mlflow.agent.integration.googlegenai;

import static org.mlflow.agent.integration.JdkValues.string;

import java.util.ArrayList;
import java.util.List;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.integration.ContentRenderer;
import org.mlflow.agent.integration.SpanContent;

/**
 * A {@code generateContentStream} call: every streamed {@code GenerateContentResponse} as a chunk
 * event, and as outputs the response they add up to ({@link StreamedResponse}), whose usage is the
 * last one the stream reported.
 */
final class GenerateContentStreamRenderer implements ContentRenderer {

  private final GenAiJson json;
  private final GeminiTools tools;

  GenerateContentStreamRenderer(GenAiJson json) {
    this.json = json;
    this.tools = new GeminiTools(json);
  }

  @Override
  public void render(Span span, SpanContent content) throws Exception {
    Object[] arguments = (Object[]) span.request();
    content.provider(GenerateContentRenderer.PROVIDER)
        .messageFormat(GenerateContentRenderer.MESSAGE_FORMAT)
        .inputs(json.inputs(arguments))
        .model((String) arguments[0])
        .tools(tools.definitions(arguments[2]));
    if (span.chunkCount() == 0) {
      return;
    }
    List<Object> chunks = new ArrayList<>(span.chunkCount());
    for (int i = 0; i < span.chunkCount(); i++) {
      Object chunk = json.response(span.chunk(i));
      chunks.add(chunk);
      content.chunk(chunk);
    }
    Object response = StreamedResponse.assemble(chunks);
    content.outputs(response);
    String servedModel = string(response, "modelVersion");
    if (servedModel != null) {
      content.model(servedModel);
    }
    content.tokenUsage(GeminiUsage.of(response));
  }
}
