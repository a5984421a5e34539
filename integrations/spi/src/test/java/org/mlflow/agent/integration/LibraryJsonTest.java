package org.mlflow.agent.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.InvocationTargetException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LibraryJsonTest {

  /** Stands in for a library's mapper factory, such as the OpenAI SDK's {@code ObjectMappers}. */
  public static final class FakeLibraryMappers {
    public static ObjectMapper jsonMapper() {
      return new ObjectMapper();
    }
  }

  /** An older library version: the mapper sits in a field, with no method yet. */
  public static final class FieldHoldingMappers {
    static final ObjectMapper jsonMapper = new ObjectMapper();
  }

  public static final class Usage {
    @JsonProperty("prompt_tokens")
    public int promptTokens = 12;
  }

  public static final class Reply {
    @JsonProperty("model")
    public String model = "gpt-4o-mini";

    @JsonProperty("usage")
    public Usage usage = new Usage();

    @JsonProperty("choices")
    public List<String> choices = List.of("a", "b");
  }

  @Test
  void readsALibraryObjectAsTheLibrarysJsonWouldRead() throws Exception {
    LibraryJson json = new LibraryJson(FakeLibraryMappers.class.getName(), "jsonMapper");
    Object value = json.toJdkValue(new Reply());

    assertEquals(
        Map.of("model", "gpt-4o-mini", "usage", Map.of("prompt_tokens", 12), "choices",
            List.of("a", "b")),
        value);
    assertEquals(12L, JdkValues.number(value, "usage", "prompt_tokens"));
    assertEquals("b", JdkValues.path(value, "choices", 1));
    assertNull(JdkValues.path(value, "choices", 5));
    assertNull(JdkValues.string(value, "usage", "missing"));
    assertNull(json.toJdkValue(null));
  }

  @Test
  void parsesJsonTextWithTheSameLibrarysMapper() throws Exception {
    LibraryJson json = new LibraryJson(FakeLibraryMappers.class.getName(), "jsonMapper");

    assertEquals(Map.of("city", "Paris", "days", List.of(1, 2)),
        json.parse("{\"city\":\"Paris\",\"days\":[1,2]}", new Reply()));
    assertThrows(InvocationTargetException.class, () -> json.parse("{\"city\":\"Pa", new Reply()));
  }

  @Test
  void findsTheMapperInAStaticFieldWhenThereIsNoMethod() throws Exception {
    LibraryJson json = new LibraryJson(FieldHoldingMappers.class.getName(), "jsonMapper");
    assertEquals(12L, JdkValues.number(json.toJdkValue(new Reply()), "usage", "prompt_tokens"));
  }

  @Test
  void readsAListOfLibraryObjectsWithTheirLibrarysMapperAndLeavesPlainValuesAlone()
      throws Exception {
    LibraryJson json = new LibraryJson(FakeLibraryMappers.class.getName(), "jsonMapper");

    assertEquals(List.of(Map.of("prompt_tokens", 12)),
        json.toJdkValue(new java.util.ArrayList<>(List.of(new Usage()))));
    List<String> texts = List.of("a", "b");
    assertEquals(texts, json.toJdkValue(texts));
    assertEquals("text", json.toJdkValue("text"));
  }
}
