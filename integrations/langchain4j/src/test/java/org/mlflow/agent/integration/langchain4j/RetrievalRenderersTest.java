package org.mlflow.agent.integration.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.content.ContentMetadata;
import dev.langchain4j.rag.content.retriever.ContentRetriever;
import dev.langchain4j.rag.query.Query;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.integration.RecordedSpans;
import org.mlflow.agent.integration.SpanContent;

class RetrievalRenderersTest {

  static final class AppRetriever implements ContentRetriever {
    @Override
    public List<Content> retrieve(Query query) {
      return List.of();
    }
  }

  @Test
  void retrievedContentsAreMlflowDocuments() throws Exception {
    TextSegment fromWeb = TextSegment.from("Paris is sunny.",
        Metadata.from("url", "https://example.org/weather").put("index", "3"));
    TextSegment fromFile = TextSegment.from("Lyon is rainy.",
        Metadata.from("file_name", "weather.md").put("absolute_directory_path", "/docs"));
    List<Content> contents = List.of(
        Content.from(fromWeb, Map.of(ContentMetadata.SCORE, 0.9,
            ContentMetadata.EMBEDDING_ID, "e1")),
        Content.from(fromFile));
    SpanContent content = new SpanContent();

    new RetrieverRenderer().render(RecordedSpans.call(
        new Object[] {Query.from("weather?"), new AppRetriever()}, contents, null), content);

    assertEquals("AppRetriever", content.spanName());
    assertEquals("weather?", content.inputs());
    Map<String, Object> web = new java.util.LinkedHashMap<>();
    web.put("page_content", "Paris is sunny.");
    web.put("metadata", Map.of("doc_uri", "https://example.org/weather", "chunk_id", "3",
        "score", 0.9, "url", "https://example.org/weather", "index", "3"));
    web.put("id", "e1");
    Map<String, Object> file = new java.util.LinkedHashMap<>();
    file.put("page_content", "Lyon is rainy.");
    file.put("metadata", Map.of("doc_uri", "/docs/weather.md", "file_name", "weather.md",
        "absolute_directory_path", "/docs"));
    file.put("id", null);
    assertEquals(List.of(web, file), content.outputs());
  }
}
