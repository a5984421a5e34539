package org.mlflow.agent.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonCodecTest {

  @Test
  void writesEveryCharacterOfAStringAsTheMapperDoes() throws Exception {
    StringBuilder every = new StringBuilder();
    for (char c = 0; c < Character.MAX_VALUE; c++) {
      every.append(c);
    }
    every.append("\uD83D\uDE00 a pair, \uD800 a lone high and \uDC00 a lone low surrogate");
    for (String text : List.of(every.toString(), "", "plain", "quote \" and \\ and / and \u2028")) {
      assertEquals(JsonCodec.mapper().writeValueAsString(text), JsonCodec.write(text));
    }
  }

  @Test
  void writesATextAndItsSuffixAsTheMapperWritesThemJoined() throws Exception {
    String json = "{\"q\":\"tab\there\u0001\"}".repeat(20);
    assertEquals(JsonCodec.mapper().writeValueAsString(json + "... [cut \"x\"]"),
        JsonCodec.writeString(json, "... [cut \"x\"]"));
  }

  @Test
  void writesNumbersAndBooleansAsTheMapperDoes() throws Exception {
    for (Object value : List.of(0, -1, Integer.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, 42L,
        true, false)) {
      assertEquals(JsonCodec.mapper().writeValueAsString(value), JsonCodec.write(value));
    }
  }

  @Test
  void writesOtherValuesWithTheMapper() throws Exception {
    Map<String, Object> value = Map.of("a", List.of(1, "b\n"));
    assertEquals(JsonCodec.mapper().writeValueAsString(value), JsonCodec.write(value));
    assertEquals("{\"raw\":1}", JsonCodec.write(new JsonText("{\"raw\":1}")));
  }

  @Test
  void writesToAStreamItLeavesOpen() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream() {
      @Override
      public void close() {
        throw new AssertionError("closed the stream it was given");
      }
    };
    JsonCodec.writeTo(out, Map.of("a", List.of(1, "\u00e9")));
    assertEquals("{\"a\":[1,\"\u00e9\"]}", out.toString(StandardCharsets.UTF_8));
  }
}
