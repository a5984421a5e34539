package org.mlflow.agent.integration.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.mlflow.agent.integration.openai.Sdk.asJson;
import static org.mlflow.agent.integration.openai.Sdk.json;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChatCompletionChunksTest {

  private static List<Object> chunks(String... choicesPerChunk) throws Exception {
    List<Object> chunks = new ArrayList<>();
    for (String choices : choicesPerChunk) {
      chunks.add(new ObjectMapper().readValue("{\"id\":\"c\",\"object\":\"chat.completion.chunk\","
          + "\"created\":7,\"model\":\"m\",\"choices\":" + choices + "}",
          new TypeReference<Object>() {}));
    }
    return chunks;
  }

  @Test
  void choicesAreReassembledApartAndToolCallArgumentsAreJoinedByTheirIndex() throws Exception {
    List<Object> chunks = chunks(
        "[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"A\"}},"
            + "{\"index\":1,\"delta\":{\"role\":\"assistant\",\"tool_calls\":[{\"index\":0,"
            + "\"id\":\"call_a\",\"type\":\"function\",\"function\":{\"name\":\"add\","
            + "\"arguments\":\"\"}}]}}]",
        "[{\"index\":1,\"delta\":{\"tool_calls\":[{\"index\":1,\"id\":\"call_b\",\"type\":"
            + "\"function\",\"function\":{\"name\":\"mul\",\"arguments\":\"{\\\"x\\\":\"}}]}}]",
        "[{\"index\":1,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":"
            + "\"{\\\"a\\\":1}\"}},{\"index\":1,\"function\":{\"arguments\":\"2}\"}}]}}]",
        "[{\"index\":0,\"delta\":{\"content\":\"B\"},\"finish_reason\":\"stop\"}]",
        "[{\"index\":1,\"delta\":{},\"finish_reason\":\"tool_calls\"}]");

    assertEquals(json("{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":7,\"model\":\"m\","
        + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"AB\"},"
        + "\"finish_reason\":\"stop\"},{\"index\":1,\"message\":{\"role\":\"assistant\","
        + "\"content\":null,\"tool_calls\":[{\"id\":\"call_a\",\"type\":\"function\",\"function\":"
        + "{\"name\":\"add\",\"arguments\":\"{\\\"a\\\":1}\"}},{\"id\":\"call_b\",\"type\":"
        + "\"function\",\"function\":{\"name\":\"mul\",\"arguments\":\"{\\\"x\\\":2}\"}}]},"
        + "\"finish_reason\":\"tool_calls\"}]}"),
        asJson(ChatCompletionChunks.reassemble(chunks)));
  }

  @Test
  void aRefusalIsJoinedAndAStreamCutShortHasNoFinishReason() throws Exception {
    List<Object> chunks = chunks(
        "[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"refusal\":\"I can\"}}]",
        "[{\"index\":0,\"delta\":{\"refusal\":\"not.\"}}]");

    assertEquals(json("{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":7,\"model\":\"m\","
        + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,"
        + "\"refusal\":\"I cannot.\"},\"finish_reason\":null}]}"),
        asJson(ChatCompletionChunks.reassemble(chunks)));
  }

  @Test
  void noChunkIsNoCompletion() {
    assertNull(ChatCompletionChunks.reassemble(List.of()));
  }
}
