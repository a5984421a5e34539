package org.mlflow.agent.integration.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.mlflow.agent.integration.openai.Sdk.asJson;
import static org.mlflow.agent.integration.openai.Sdk.json;

import com.openai.client.OpenAIClient;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.integration.RecordedSpans;
import org.mlflow.agent.integration.SpanContent;

class ResponseRendererTest {

  private static final String RESPONSE = "{\"id\":\"resp_1\",\"object\":\"response\","
      + "\"created_at\":1741476542,\"status\":\"completed\",\"error\":null,"
      + "\"incomplete_details\":null,\"instructions\":null,\"model\":\"gpt-4o-mini-2024-07-18\","
      + "\"output\":[{\"type\":\"message\",\"id\":\"msg_1\",\"status\":\"completed\",\"role\":"
      + "\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":\"Hi there\","
      + "\"annotations\":[]}]}],\"parallel_tool_calls\":true,\"temperature\":1.0,\"tool_choice\":"
      + "\"auto\",\"tools\":[],\"top_p\":1.0,\"usage\":{\"input_tokens\":36,"
      + "\"input_tokens_details\":{\"cached_tokens\":4},\"output_tokens\":87,"
      + "\"output_tokens_details\":{\"reasoning_tokens\":0},\"total_tokens\":123},\"metadata\":{}}";

  /** The SDK reads "created_at" as a double, and so writes it back. */
  private static final Object AS_THE_SDK_READS_IT =
      json(RESPONSE.replace("1741476542", "1741476542.0"));

  private static final OpenAIClient CLIENT = Sdk.openAi();

  private final ResponseCreateParams params = ResponseCreateParams.builder()
      .model("gpt-4o-mini")
      .input("Hello?")
      .addTool(FunctionTool.builder().name("get_weather").parameters(
          FunctionTool.Parameters.builder().build()).strict(true).build())
      .build();

  @AfterAll
  static void close() {
    CLIENT.close();
  }

  private Object[] captured() {
    return new Object[] {params, CLIENT.responses().withRawResponse()};
  }

  private static SpanContent render(boolean streamed, Span span) throws Exception {
    SpanContent content = new SpanContent();
    new ResponseRenderer(Sdk.JSON, streamed).render(span, content);
    return content;
  }

  @Test
  void aResponseWithItsUsageCachedTokensAndTools() throws Exception {
    SpanContent content = render(false,
        RecordedSpans.call(captured(), Sdk.parse(RESPONSE, Response.class), null));

    assertEquals(json("{\"input\":\"Hello?\",\"model\":\"gpt-4o-mini\",\"tools\":[{\"name\":"
        + "\"get_weather\",\"parameters\":{},\"strict\":true,\"type\":\"function\"}]}"),
        asJson(content.inputs()));
    assertEquals(AS_THE_SDK_READS_IT, asJson(content.outputs()));
    assertEquals("openai", content.messageFormat());
    assertEquals("openai", content.provider());
    assertEquals("gpt-4o-mini-2024-07-18", content.model());
    assertEquals(36, content.tokenUsage().inputTokens());
    assertEquals(87, content.tokenUsage().outputTokens());
    assertEquals(123, content.tokenUsage().totalTokens());
    assertEquals(4L, content.tokenUsage().cacheReadInputTokens());
    assertEquals(json("[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
        + "\"parameters\":{},\"strict\":true}}]"), asJson(content.tools()));
  }

  @Test
  void aStreamsOutputIsTheResponseItsCompletedEventCarries() throws Exception {
    List<String> events = List.of(
        "{\"type\":\"response.created\",\"sequence_number\":0,\"response\":"
            + RESPONSE.replace("\"completed\"", "\"in_progress\"") + "}",
        "{\"type\":\"response.output_text.delta\",\"sequence_number\":1,\"item_id\":\"msg_1\","
            + "\"output_index\":0,\"content_index\":0,\"delta\":\"Hi there\"}",
        "{\"type\":\"response.completed\",\"sequence_number\":2,\"response\":" + RESPONSE + "}");

    SpanContent content = render(true,
        RecordedSpans.stream(captured(), Sdk.parseAll(events, ResponseStreamEvent.class)));

    assertEquals(true, ((Map<?, ?>) content.inputs()).get("stream"));
    assertEquals(3, content.chunks().size());
    assertEquals(json(events.get(1)), asJson(content.chunks().get(1)));
    assertEquals(AS_THE_SDK_READS_IT, asJson(content.outputs()));
    assertEquals(123, content.tokenUsage().totalTokens());
  }

  @Test
  void aStreamEndedBeforeItsFinalEventKeepsTheItemsDoneSoFar() throws Exception {
    String item = "{\"type\":\"message\",\"id\":\"msg_1\",\"status\":\"completed\",\"role\":"
        + "\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":\"Hi\",\"annotations\":[]}]}";
    List<String> events = List.of(
        "{\"type\":\"response.created\",\"sequence_number\":0,\"response\":{\"id\":\"resp_1\","
            + "\"object\":\"response\",\"status\":\"in_progress\",\"model\":\"gpt-4o-mini\","
            + "\"output\":[]}}",
        "{\"type\":\"response.output_item.done\",\"sequence_number\":1,\"output_index\":0,"
            + "\"item\":" + item + "}");

    SpanContent content = render(true,
        RecordedSpans.stream(captured(), Sdk.parseAll(events, ResponseStreamEvent.class)));

    assertEquals(json("{\"id\":\"resp_1\",\"object\":\"response\",\"status\":\"in_progress\","
        + "\"model\":\"gpt-4o-mini\",\"output\":[" + item + "]}"), asJson(content.outputs()));
    assertNull(content.tokenUsage());
  }
}
