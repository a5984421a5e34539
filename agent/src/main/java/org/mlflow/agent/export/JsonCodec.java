package org.mlflow.agent.export;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.io.OutputStream;

/** The agent's one (shaded) Jackson mapper, for the JDK values spans carry. */
public final class JsonCodec {

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
      .registerModule(new SimpleModule().addSerializer(JsonText.class,
          new StdSerializer<JsonText>(JsonText.class) {
            @Override
            public void serialize(JsonText value, JsonGenerator generator,
                SerializerProvider provider) throws IOException {
              generator.writeRawValue(value.json());
            }
          }));

  /** The mapper's writer for streams it does not own: it flushes them but never closes them. */
  private static final ObjectWriter STREAM_WRITER =
      MAPPER.writer().without(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

  private JsonCodec() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** Writes {@code value} as UTF-8 JSON to {@code out}, which is left open. */
  public static void writeTo(OutputStream out, Object value) throws IOException {
    STREAM_WRITER.writeValue(out, value);
  }

  /** JSON text of a JDK value; a value Jackson cannot write becomes its {@code toString()}. */
  public static String write(Object value) {
    if (value instanceof JsonText) {
      return ((JsonText) value).json();
    }
    // Most span attributes are single strings and numbers: the mapper's per-call set-up (a
    // serializer provider, a writer, a generator) costs more than writing them, so they are
    // written here, with the mapper's own string escaping.
    if (value instanceof String) {
      return writeString((String) value, "");
    }
    if (value instanceof Long || value instanceof Integer || value instanceof Boolean) {
      return value.toString();
    }
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException notSerializable) {
      return write(String.valueOf(value));
    }
  }

  /**
   * The JSON string of {@code text} followed by {@code suffix}, escaped into one buffer without
   * joining them first (a long text is copied once less).
   */
  public static String writeString(String text, String suffix) {
    // Room for a few escapes: a buffer that grows copies everything written so far.
    StringBuilder json = new StringBuilder(text.length() + text.length() / 8 + suffix.length() + 2)
        .append('"');
    JsonStringEncoder encoder = JsonStringEncoder.getInstance();
    encoder.quoteAsString(text, json);
    encoder.quoteAsString(suffix, json);
    return json.append('"').toString();
  }
}
