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
  void writesTextInsideAStructureAsTheMapperDoes() throws Exception {
    for (String text : List.of("plain", "h\u00e9llo \u2713 \u4e2d\u6587", "an emoji \uD83D\uDE00",
        "quote \" and \\ and control \u0001 and \u2028")) {
      Map<String, Object> value = Map.of("messages", List.of(Map.of("content", text)));
      assertEquals(JsonCodec.mapper().writeValueAsString(value), JsonCodec.write(value));
    }
  }

  @Test
  void writesEveryCharacterInsideAStructureSoThatItReadsBackTheSame() throws Exception {
    // Every char, lone surrogates included (a model's answer cut inside an emoji).
    StringBuilder every = new StringBuilder();
    for (char c = 0; c < Character.MAX_VALUE; c++) {
      every.append(c);
    }
    Map<String, Object> value = Map.of("content", every.toString());
    assertEquals(value, JsonCodec.mapper().readValue(JsonCodec.write(value), Map.class));
  }

  @Test
  void aValueLargerThanTheKeptBufferIsWrittenWholeAndTheNextOneOnItsOwn() throws Exception {
    Map<String, Object> huge = Map.of("content", "x".repeat(JsonCodec.MAX_KEPT_BUFFER_CHARS + 1));
    Map<String, Object> small = Map.of("content", "y");

    assertEquals(JsonCodec.mapper().writeValueAsString(huge), JsonCodec.write(huge));
    assertEquals("{\"content\":\"y\"}", JsonCodec.write(small));
    assertEquals("{\"content\":\"y\"}", JsonCodec.write(small));
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
