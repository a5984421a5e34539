package org.mlflow.agent.integration.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.ObjectMappers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.mlflow.agent.integration.LibraryJson;

/** Real SDK objects for the renderer tests: clients, and models parsed as the SDK parses them. */
final class Sdk {

  static final LibraryJson JSON = new LibraryJson("com.openai.core.ObjectMappers", "jsonMapper");

  /** Never to be read: the renderers must not touch credentials. */
  static final String API_KEY = "sk-must-not-be-read";

  private static final ObjectMapper PLAIN = new ObjectMapper();

  private Sdk() {}

  /** A client; nothing is sent, its services are only what the advice captures. */
  static OpenAIClient client(String baseUrl) {
    return OpenAIOkHttpClient.builder().baseUrl(baseUrl).apiKey(API_KEY).build();
  }

  static OpenAIClient openAi() {
    return client("https://api.openai.com/v1");
  }

  static <T> T parse(String json, Class<T> type) {
    try {
      return ObjectMappers.jsonMapper().readValue(json, type);
    } catch (IOException invalid) {
      throw new UncheckedIOException(invalid);
    }
  }

  static <T> List<T> parseAll(List<String> jsons, Class<T> type) {
    List<T> parsed = new ArrayList<>();
    jsons.forEach(json -> parsed.add(parse(json, type)));
    return parsed;
  }

  /** A JDK value as plain JSON, to compare with expected JSON text regardless of number types. */
  static Object asJson(Object value) {
    try {
      return PLAIN.readTree(PLAIN.writeValueAsString(value));
    } catch (IOException invalid) {
      throw new UncheckedIOException(invalid);
    }
  }

  static Object json(String text) {
    try {
      return PLAIN.readTree(text);
    } catch (IOException invalid) {
      throw new UncheckedIOException(invalid);
    }
  }
}
