package org.mlflow.agent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.export.JsonText;

/** A preview taken from a value when it is written is the one read back from its text. */
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
  void previewsTakenFromTheValueAreThoseReadFromTheText() {
    ContentPolicy keepAll = ContentPolicy.keepAll();
    ContentPolicy cutting = new ContentPolicy(true, 40);
    for (Object value : values()) {
      for (ContentPolicy policy : List.of(keepAll, cutting)) {
        JsonText inputs = policy.apply(value, Previews.Side.REQUEST);
        JsonText outputs = policy.apply(value, Previews.Side.RESPONSE);
        assertEquals(Previews.request(new JsonText(inputs.json()), 100),
            Previews.request(inputs, 100), "request preview of " + inputs.json());
        assertEquals(Previews.response(new JsonText(outputs.json()), 100),
            Previews.response(outputs, 100), "response preview of " + outputs.json());
      }
    }
  }

  @Test
  void aPlainValueHasItsPreviewTakenWhenItIsWritten() {
    JsonText inputs = ContentPolicy.keepAll().apply(values().get(0), Previews.Side.REQUEST);
    assertEquals("last question\u0000 with a NUL", inputs.preview());
    JsonText outputs = ContentPolicy.keepAll().apply(values().get(3), Previews.Side.RESPONSE);
    assertEquals("the answer", outputs.preview());
    JsonText noChat = ContentPolicy.keepAll().apply(values().get(7), Previews.Side.REQUEST);
    assertEquals("[1,2,true]", noChat.preview());
  }

  @Test
  void aValueThatDoesNotParseBackTheSameHasItsPreviewReadFromTheText() {
    JsonText bean = ContentPolicy.keepAll().apply(values().get(2), Previews.Side.REQUEST);
    assertNull(bean.preview());
    assertEquals("from a bean", Previews.request(bean, 100));
  }

  @Test
  void aChatRequestPreviewsItsLastUserMessage() {
    JsonText inputs = ContentPolicy.keepAll().apply(values().get(0), Previews.Side.REQUEST);
    assertEquals("last question\uFFFD with a NUL", Previews.request(inputs, 100));
  }

  @Test
  void aLongTextIsCutToThePreviewSizeWithItsNulCharactersReplaced() {
    String text = "a\u0000" + "b".repeat(2000) + "\u0000";
    JsonText inputs = ContentPolicy.keepAll().apply(
        Map.of("messages", List.of(Map.of("role", "user", "content", text))),
        Previews.Side.REQUEST);
    assertEquals("a\uFFFD" + "b".repeat(95) + "...", Previews.request(inputs, 100));
  }

  @Test
  void aLargeValueKeepsOnlyWhatTheLongestPreviewShows() {
    String question = "q".repeat(1_000_000);
    JsonText inputs = ContentPolicy.keepAll().apply(
        Map.of("messages", List.of(Map.of("role", "user", "content", question))),
        Previews.Side.REQUEST);
    assertEquals(Previews.MAX_CHARS + 1, inputs.preview().length());
    assertEquals("q".repeat(97) + "...", Previews.request(inputs, 100));
    assertEquals("q".repeat(Previews.MAX_CHARS - 3) + "...",
        Previews.request(inputs, Previews.MAX_CHARS));
  }

  @Test
  void redactedContentHasItsPreviewReadFromTheRedactedText() {
    ContentPolicy redacting = new ContentPolicy(true, 1000, java.util.regex.Pattern.compile("sk-\\w+"));
    JsonText inputs = redacting.apply(Map.of("messages",
        List.of(Map.of("role", "user", "content", "key sk-secret"))), Previews.Side.REQUEST);
    assertNull(inputs.preview());
    assertEquals("key [REDACTED]", Previews.request(inputs, 100));
  }
}
