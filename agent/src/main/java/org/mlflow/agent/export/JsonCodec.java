package org.mlflow.agent.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** The agent's one (shaded) Jackson mapper, for the JDK values spans carry. */
public final class JsonCodec {

  private static final ObjectMapper MAPPER =
      new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  private JsonCodec() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** JSON text of a JDK value; a value Jackson cannot write becomes its {@code toString()}. */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException notSerializable) {
      try {
        return MAPPER.writeValueAsString(String.valueOf(value));
      } catch (JsonProcessingException impossible) {
        throw new IllegalStateException(impossible);
      }
    }
  }
}
