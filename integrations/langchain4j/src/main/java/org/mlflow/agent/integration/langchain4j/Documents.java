package org.mlflow.agent.integration.langchain4j;

import static org.mlflow.agent.integration.langchain4j.Accessors.get;
import static org.mlflow.agent.integration.langchain4j.Accessors.string;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Retrieved text segments as the documents MLflow's retriever view reads: {@code {"page_content",
 * "metadata": {"doc_uri", "chunk_id", "score", ...}, "id"}}. The segment's own metadata is kept;
 * {@code doc_uri} and {@code chunk_id} are taken from the keys LangChain4j's document loaders and
 * splitters set ({@code url}, {@code source}, {@code absolute_directory_path} + {@code file_name};
 * {@code index}).
 */
final class Documents {

  private Documents() {}

  /**
   * @param embedded a {@code TextSegment} (or any other embedded object, read as its text)
   */
  static Map<String, Object> of(Object embedded, Object score, Object id)
      throws ReflectiveOperationException {
    Map<String, Object> segmentMetadata = segmentMetadata(embedded);
    Map<String, Object> metadata = new LinkedHashMap<>();
    String uri = docUri(segmentMetadata);
    if (uri != null) {
      metadata.put("doc_uri", uri);
    }
    Object index = segmentMetadata.get("index");
    if (index != null) {
      metadata.put("chunk_id", index.toString());
    }
    if (score != null) {
      metadata.put("score", score);
    }
    segmentMetadata.forEach(metadata::putIfAbsent);
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("page_content", text(embedded));
    document.put("metadata", metadata);
    document.put("id", id == null ? null : id.toString());
    return document;
  }

  private static String text(Object embedded) throws ReflectiveOperationException {
    if (embedded == null || embedded instanceof String) {
      return (String) embedded;
    }
    String text = string(embedded, "text");
    return text != null ? text : embedded.toString();
  }

  private static Map<String, Object> segmentMetadata(Object embedded)
      throws ReflectiveOperationException {
    Map<String, Object> values = new LinkedHashMap<>();
    if (embedded == null || embedded instanceof String) {
      return values;
    }
    Object map = get(get(embedded, "metadata"), "toMap");
    if (map instanceof Map) {
      ((Map<?, ?>) map).forEach((key, value) -> values.put(String.valueOf(key), value));
    }
    return values;
  }

  private static String docUri(Map<String, Object> metadata) {
    for (String key : new String[] {"url", "source", "doc_uri"}) {
      if (metadata.get(key) != null) {
        return metadata.get(key).toString();
      }
    }
    Object file = metadata.get("file_name");
    if (file == null) {
      return null;
    }
    Object directory = metadata.get("absolute_directory_path");
    return directory == null ? file.toString() : directory + "/" + file;
  }
}
