package org.mlflow.agent.export;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.CharArrayWriter;
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

  /**
   * Values are written into a char buffer kept by each thread (the exporter's, in practice), then
   * copied once into their string. The mapper's own string writer gathers a value's text in
   * growing segments, copies them into a builder and that into the string: for a call's inputs
   * and outputs, some three times their size in garbage on every span. (Writing UTF-8 bytes and
   * decoding them allocates as little, but encodes char by char: slower for a large text.)
   */
  private static final ThreadLocal<Buffer> BUFFER = ThreadLocal.withInitial(Buffer::new);
  /** A larger buffer is dropped after use: a 1 MB call's inputs or outputs still fit. */
  static final int MAX_KEPT_BUFFER_CHARS = 1024 * 1024;

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
      String text = (String) value;
      StringBuilder json = new StringBuilder(text.length() + 2).append('"');
      JsonStringEncoder.getInstance().quoteAsString(text, json);
      return json.append('"').toString();
    }
    if (value instanceof Long || value instanceof Integer || value instanceof Boolean) {
      return value.toString();
    }
    Buffer buffer = BUFFER.get();
    try {
      MAPPER.writeValue(buffer, value);
      return buffer.toString();
    } catch (IOException notSerializable) { // the mapper's: the buffer itself never fails
      return write(String.valueOf(value));
    } finally {
      buffer.reset();
      if (buffer.capacity() > MAX_KEPT_BUFFER_CHARS) {
        BUFFER.remove(); // a rare huge value: its buffer is not held for good
      }
    }
  }

  /** A char array writer whose capacity can be read. */
  private static final class Buffer extends CharArrayWriter {
    Buffer() {
      super(4 * 1024);
    }

    int capacity() {
      return buf.length;
    }
  }
}
