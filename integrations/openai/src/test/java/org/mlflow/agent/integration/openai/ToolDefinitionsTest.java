package org.mlflow.agent.integration.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.mlflow.agent.integration.openai.Sdk.asJson;
import static org.mlflow.agent.integration.openai.Sdk.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ToolDefinitionsTest {

  private static Object toolsOf(String request) throws Exception {
    return asJson(ToolDefinitions.of(new ObjectMapper().readValue(request, Map.class)));
  }

  @Test
  void chatCompletionToolsAreAlreadyOpenAiDefinitions() throws Exception {
    String tool = "{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{}}}";
    assertEquals(json("[" + tool + "]"), toolsOf("{\"tools\":[" + tool + "]}"));
  }

  @Test
  void responsesApiToolsBecomeOpenAiDefinitions() throws Exception {
    assertEquals(json("[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"description\":\"d\","
            + "\"parameters\":{},\"strict\":true}},"
            + "{\"type\":\"function\",\"function\":{\"name\":\"web_search_preview\"}},"
            + "{\"type\":\"function\",\"function\":{\"name\":\"my_grammar_tool\"}}]"),
        toolsOf("{\"tools\":[{\"type\":\"function\",\"name\":\"f\",\"description\":\"d\","
            + "\"parameters\":{},\"strict\":true},{\"type\":\"web_search_preview\"},"
            + "{\"type\":\"custom\",\"name\":\"my_grammar_tool\"}]}"));
  }

  @Test
  void noToolsIsNull() {
    assertNull(ToolDefinitions.of(Map.of("model", "m")));
    assertNull(ToolDefinitions.of(Map.of("tools", List.of())));
    assertNull(ToolDefinitions.of(null));
  }
}
