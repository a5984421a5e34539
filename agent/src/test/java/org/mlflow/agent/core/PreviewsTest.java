package org.mlflow.agent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.export.JsonText;

/** A preview read from the value a text was written from is the one read from the text. */
class PreviewsTest {

  /** A value that is not a JDK map, yet writes as one: parsing it gives a map. */
  public static final class Message {
    public String getRole() {
      return "user";
    }

    public String getContent() {
      return "from a bean";
    }
  }

  private static List<Object> values() {
    Map<String, Object> parts = new LinkedHashMap<>();
    parts.put("role", "user");
    parts.put("content", List.of(Map.of("type", "image_url"), Map.of("type", "text",
        "text", "the part's text")));
    List<Object> messages = new ArrayList<>();
    messages.add(Map.of("role", "system", "content", "be brief"));
    messages.add(Map.of("role", "user", "content", "first question"));
    messages.add(Map.of("role", "assistant", "content", "an answer"));
    messages.add(Map.of("role", "user", "content", "last question\u0000 with a NUL"));
    List<Object> values = new ArrayList<>();
    values.add(Map.of("model", "gpt-4o-mini", "messages", messages, "temperature", 0.7));
    values.add(Map.of("messages", List.of(parts)));
    values.add(Map.of("messages", List.of(new Message())));
    values.add(Map.of("choices", List.of(Map.of("message", Map.of("content", "the answer")))));
    values.add(Map.of("choices", List.of(Map.of("message", Map.of("tool_calls", List.of())))));
    values.add(Map.of("amount", new BigDecimal("1.50"), "text", "x".repeat(3000)));
    values.add("a plain string");
    values.add(List.of(1, 2L, true));
    return values;
  }

  @Test
  void previewsFromTheKeptValueAreThoseFromTheText() {
    ContentPolicy keepAll = ContentPolicy.keepAll();
    ContentPolicy cutting = new ContentPolicy(true, 40);
    for (Object value : values()) {
      for (ContentPolicy policy : List.of(keepAll, cutting)) {
        JsonText withSource = policy.apply(value, true);
        JsonText textOnly = new JsonText(withSource.json());
        assertEquals(Previews.request(textOnly, 100), Previews.request(withSource, 100),
            "request preview of " + withSource.json());
        assertEquals(Previews.response(textOnly, 100), Previews.response(withSource, 100),
            "response preview of " + withSource.json());
      }
    }
  }

  @Test
  void aChatRequestPreviewsItsLastUserMessage() {
    JsonText inputs = ContentPolicy.keepAll().apply(values().get(0), true);
    assertEquals("last question\uFFFD with a NUL", Previews.request(inputs, 100));
  }

  @Test
  void aLongTextIsCutToThePreviewSizeWithItsNulCharactersReplaced() {
    String text = "a\u0000" + "b".repeat(2000) + "\u0000";
    JsonText inputs = ContentPolicy.keepAll().apply(
        Map.of("messages", List.of(Map.of("role", "user", "content", text))), true);
    assertEquals("a\uFFFD" + "b".repeat(95) + "...", Previews.request(inputs, 100));
  }

  @Test
  void aLargeValueKeepsNoSourceSoItsContentIsNotHeldTwice() {
    String question = "q".repeat(ContentPolicy.MAX_KEPT_SOURCE_CHARS);
    JsonText inputs = ContentPolicy.keepAll().apply(
        Map.of("messages", List.of(Map.of("role", "user", "content", question))), true);
    assertEquals(null, inputs.source());
    assertEquals("q".repeat(97) + "...", Previews.request(inputs, 100));
  }

  @Test
  void redactedContentKeepsNoSource() {
    ContentPolicy redacting = new ContentPolicy(true, 1000, java.util.regex.Pattern.compile("sk-\\w+"));
    JsonText inputs = redacting.apply(Map.of("messages",
        List.of(Map.of("role", "user", "content", "key sk-secret"))), true);
    assertEquals(null, inputs.source());
    assertEquals(false, Previews.request(inputs, 100).contains("sk-secret"));
  }
}
