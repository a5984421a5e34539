package org.mlflow.agent.integration.googlegenai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.google.genai.types.Content;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.Part;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.bootstrap.CallArguments;
import org.mlflow.agent.integration.RecordedSpans;
import org.mlflow.agent.integration.SpanContent;

class GenerateContentStreamRendererTest {

  private final GenerateContentStreamRenderer renderer =
      new GenerateContentStreamRenderer(new GenAiJson());

  private static final Object[] REQUEST = CallArguments.of("gemini-2.0-flash",
      List.of(Content.fromParts(Part.fromText("What is MLflow?"))), null);

  private static GenerateContentResponse chunk(String text, String usage) {
    return GenerateContentResponse.fromJson("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\""
        + text + "\"}],\"role\":\"model\"},\"index\":0}],\"modelVersion\":\"gemini-2.0-flash-001\""
        + (usage == null ? "" : ",\"usageMetadata\":" + usage) + "}");
  }

  @Test
  void eachStreamedResponseIsAChunkAndTheOutputsAreTheirSum() throws Exception {
    SpanContent content = new SpanContent();
    renderer.render(RecordedSpans.stream(REQUEST, List.of(
        chunk("MLflow is ", "{\"promptTokenCount\":5,\"totalTokenCount\":5}"),
        chunk("a platform.", "{\"promptTokenCount\":5,\"candidatesTokenCount\":4,"
            + "\"totalTokenCount\":9}"))), content);

    assertEquals(2, content.chunks().size());
    assertEquals("MLflow is ", ((Map<?, ?>) ((List<?>) ((Map<?, ?>) ((Map<?, ?>) ((List<?>)
        ((Map<?, ?>) content.chunks().get(0)).get("candidates")).get(0)).get("content"))
        .get("parts")).get(0)).get("text"));
    assertEquals(List.of(Map.of("text", "MLflow is a platform.")),
        ((Map<?, ?>) ((Map<?, ?>) ((List<?>) ((Map<?, ?>) content.outputs()).get("candidates"))
            .get(0)).get("content")).get("parts"));
    assertEquals(9, content.tokenUsage().totalTokens());
    assertEquals(4, content.tokenUsage().outputTokens());
    assertEquals("gemini-2.0-flash-001", content.model());
    assertEquals("gemini", content.messageFormat());
  }

  @Test
  void aStreamThatFailedBeforeItsFirstItemHasNoOutputs() throws Exception {
    SpanContent content = new SpanContent();
    renderer.render(RecordedSpans.stream(REQUEST, List.of()), content);
    assertNull(content.outputs());
    assertEquals("gemini-2.0-flash", content.model());
  }
}
