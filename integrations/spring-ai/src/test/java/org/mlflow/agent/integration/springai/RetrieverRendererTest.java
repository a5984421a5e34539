package org.mlflow.agent.integration.springai;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.integration.RecordedSpans;
import org.mlflow.agent.integration.SpanContent;
import org.springframework.ai.document.Document;
import org.springframework.ai.vectorstore.SearchRequest;

class RetrieverRendererTest {

  @Test
  void documentsAreInMlflowsRetrieverShapeWithTheSourceAsDocUri() throws Exception {
    Document found = Document.builder().id("doc-1").text("MLflow traces GenAI calls.")
        .metadata(Map.of("source", "https://mlflow.org/docs")).score(0.93).build();
    Span span = RecordedSpans.call(SearchRequest.builder().query("tracing?").build(),
        List.of(found), null);

    SpanContent content = new SpanContent();
    new RetrieverRenderer().render(span, content);

    assertEquals("tracing?", content.inputs());
    assertEquals(List.of(Map.of("page_content", "MLflow traces GenAI calls.", "id", "doc-1",
            "metadata", Map.of("source", "https://mlflow.org/docs",
                "doc_uri", "https://mlflow.org/docs", "score", 0.93))),
        content.outputs());
  }
}
