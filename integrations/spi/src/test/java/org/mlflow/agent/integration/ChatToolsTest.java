package org.mlflow.agent.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ChatToolsTest {

  @Test
  void aFunctionToolIsWrittenAsOpenAiDefinesIt() {
    Map<String, Object> schema = Map.of("type", "object", "properties", Map.of());

    assertEquals(
        Map.of("type", "function", "function",
            Map.of("name", "get_weather", "description", "Weather of a city", "parameters", schema)),
        ChatTools.function("get_weather", "Weather of a city", schema));
  }

  @Test
  void missingPartsAreLeftOutRatherThanNull() {
    assertEquals(Map.of("type", "function", "function", Map.of("name", "web_search")),
        ChatTools.function("web_search", null, null));
  }
}
