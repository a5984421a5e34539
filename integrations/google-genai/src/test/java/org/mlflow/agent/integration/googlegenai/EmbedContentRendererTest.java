package org.mlflow.agent.integration.googlegenai;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.genai.types.EmbedContentConfig;
import com.google.genai.types.EmbedContentResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.bootstrap.CallArguments;
import org.mlflow.agent.integration.RecordedSpans;
import org.mlflow.agent.integration.SpanContent;

class EmbedContentRendererTest {

  @Test
  void vectorsAreSummarisedAsTheirDimensions() throws Exception {
    EmbedContentResponse response = EmbedContentResponse.fromJson(
        "{\"embeddings\":[{\"values\":[0.1,0.2,0.3]},{\"values\":[0.4,0.5,0.6]}]}");
    SpanContent content = new SpanContent();

    new EmbedContentRenderer(new GenAiJson()).render(RecordedSpans.call(
        CallArguments.of("text-embedding-004", List.of("a", "b"),
            EmbedContentConfig.builder().outputDimensionality(3).build()), response, null),
        content);

    assertEquals(Map.of("model", "text-embedding-004", "contents", List.of("a", "b"),
        "config", Map.of("outputDimensionality", 3)), content.inputs());
    assertEquals(Map.of("embeddings", List.of(Map.of("dimensions", 3), Map.of("dimensions", 3))),
        content.outputs());
    assertEquals("text-embedding-004", content.model());
    assertEquals("google", content.provider());
  }
}
