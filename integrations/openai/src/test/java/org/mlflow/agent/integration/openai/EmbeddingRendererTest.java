package org.mlflow.agent.integration.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.mlflow.agent.integration.openai.Sdk.asJson;
import static org.mlflow.agent.integration.openai.Sdk.json;

import com.openai.client.OpenAIClient;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.integration.RecordedSpans;
import org.mlflow.agent.integration.SpanContent;

class EmbeddingRendererTest {

  private static final OpenAIClient CLIENT = Sdk.openAi();

  private final EmbeddingCreateParams params = EmbeddingCreateParams.builder()
      .model("text-embedding-3-small")
      .inputOfArrayOfStrings(List.of("first", "second"))
      .build();

  @AfterAll
  static void close() {
    CLIENT.close();
  }

  private SpanContent render(String response) throws Exception {
    SpanContent content = new SpanContent();
    new EmbeddingRenderer(Sdk.JSON).render(RecordedSpans.call(
        new Object[] {params, CLIENT.embeddings().withRawResponse()},
        response == null ? null : Sdk.parse(response, CreateEmbeddingResponse.class), null),
        content);
    return content;
  }

  private static String base64Vector(int dimensions) {
    ByteBuffer floats = ByteBuffer.allocate(dimensions * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < dimensions; i++) {
      floats.putFloat(i / 10f);
    }
    return Base64.getEncoder().encodeToString(floats.array());
  }

  @Test
  void eachVectorIsSummarisedByItsDimensionsWhateverItsEncoding() throws Exception {
    SpanContent content = render("{\"object\":\"list\",\"data\":[{\"object\":\"embedding\","
        + "\"index\":0,\"embedding\":\"" + base64Vector(1536) + "\"},{\"object\":\"embedding\","
        + "\"index\":1,\"embedding\":[0.1,0.2,0.3]}],\"model\":\"text-embedding-3-small\","
        + "\"usage\":{\"prompt_tokens\":5,\"total_tokens\":5}}");

    assertEquals(json("{\"input\":[\"first\",\"second\"],\"model\":\"text-embedding-3-small\","
        + "\"encoding_format\":\"base64\"}"), asJson(content.inputs()),
        "the body as sent: the SDK asks for base64 vectors unless told otherwise");
    assertEquals(json("{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,"
        + "\"embedding_dimensions\":1536},{\"object\":\"embedding\",\"index\":1,"
        + "\"embedding_dimensions\":3}],\"model\":\"text-embedding-3-small\",\"usage\":"
        + "{\"prompt_tokens\":5,\"total_tokens\":5}}"), asJson(content.outputs()));
    assertEquals("text-embedding-3-small", content.model());
    assertEquals("openai", content.provider());
    assertNull(content.messageFormat(), "not a chat");
    assertEquals(5, content.tokenUsage().inputTokens());
    assertEquals(0, content.tokenUsage().outputTokens());
    assertEquals(5, content.tokenUsage().totalTokens());
  }

  @Test
  void aFailedCallHasItsInputsOnly() throws Exception {
    SpanContent content = render(null);

    assertEquals("text-embedding-3-small", content.model());
    assertNull(content.outputs());
    assertNull(content.tokenUsage());
  }
}
