package org.mlflow.agent.integration.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.DefaultAwsResponseMetadata;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.bedrockruntime.model.BedrockRuntimeResponseMetadata;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDelta;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ImageBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ImageFormat;
import software.amazon.awssdk.services.bedrockruntime.model.ImageSource;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

class SdkValuesTest {

  private final ClassLoader sdk = ConverseRequest.class.getClassLoader();

  @Test
  void aRequestReadsAsTheServicesJsonWithUnsetMembersLeftOut() throws Exception {
    Object read = SdkValues.read(SdkObjects.converseRequest());

    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("modelId", SdkObjects.MODEL);
    expected.put("messages", List.of(Map.of("role", "user",
        "content", List.of(Map.of("text", "What is MLflow?")))));
    expected.put("inferenceConfig", Map.of("maxTokens", 256, "temperature", 0.5f));
    expected.put("toolConfig", Map.of("tools", List.of(Map.of("toolSpec", Map.of(
        "name", "get_weather",
        "description", "The weather in a city",
        "inputSchema", Map.of("json", Map.of("type", "object",
            "properties", Map.of("city", Map.of("type", "string")))))))));
    assertEquals(expected, read);
    assertEquals(List.copyOf(expected.keySet()), List.copyOf(((Map<?, ?>) read).keySet()),
        "members in the SDK's order");
  }

  @Test
  void anEmptyListTheAppSetIsKeptUnlikeOneItLeftUnset() throws Exception {
    ConverseRequest request = ConverseRequest.builder().modelId("m")
        .system(List.<SystemContentBlock>of()).build();
    assertEquals(Map.of("modelId", "m", "system", List.of()), SdkValues.read(request));
  }

  @Test
  void blobsAreBase64AsInTheServicesJson() throws Exception {
    ContentBlock image = ContentBlock.fromImage(ImageBlock.builder().format(ImageFormat.PNG)
        .source(ImageSource.fromBytes(SdkBytes.fromByteArray(new byte[] {1, 2, 3}))).build());
    assertEquals(Map.of("image", Map.of("format", "png", "source", Map.of("bytes", "AQID"))),
        SdkValues.read(image));
  }

  @Test
  void documentsReadAsTheJsonTheyHoldWithExactNumbers() throws Exception {
    Document document = Document.mapBuilder()
        .putNumber("count", 3)
        .putNumber("ratio", 0.25)
        .putBoolean("strict", true)
        .putNull("none")
        .putList("tags", List.of(Document.fromString("a"), Document.fromNumber(12345678901L)))
        .build();

    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("count", 3L);
    expected.put("ratio", new BigDecimal("0.25"));
    expected.put("strict", true);
    expected.put("none", null);
    expected.put("tags", Arrays.asList("a", 12345678901L));
    assertEquals(expected, SdkValues.read(document));
  }

  @Test
  void theRequestIdComesFromTheResponseMetadataOrTheServicesException() throws Exception {
    assertEquals("req-123", SdkValues.requestId(SdkObjects.converseResponse("req-123")));
    ConverseResponse withoutId = (ConverseResponse) ConverseResponse.builder()
        .responseMetadata(BedrockRuntimeResponseMetadata.create(
            DefaultAwsResponseMetadata.create(Map.of()))).build();
    assertNull(SdkValues.requestId(withoutId), "the SDK's UNKNOWN is no id");
    assertEquals("req-400", SdkValues.requestId(
        ValidationException.builder().message("bad").requestId("req-400").build()));
    assertNull(SdkValues.requestId(new IllegalStateException("not from AWS")));
    assertNull(SdkValues.requestId(null));
  }

  @Test
  void jsonIsReadWithTheSdksParserAndAnythingElseIsNotJson() throws Exception {
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("a", List.of(1L, new BigDecimal("2.5")));
    expected.put("b", Map.of("c", "d"));
    expected.put("e", null);
    expected.put("f", false);
    assertEquals(expected, SdkJson.parse(
        "{\"a\":[1,2.5],\"b\":{\"c\":\"d\"},\"e\":null,\"f\":false}".getBytes(), sdk));
    assertNull(SdkJson.parse("plain text, not JSON".getBytes(), sdk));
  }

  @Test
  void streamEventsNameTheirType() throws Exception {
    ConverseStreamOutput delta = ConverseStreamOutput.contentBlockDeltaBuilder()
        .contentBlockIndex(0).delta(ContentBlockDelta.fromText("Hel")).build();
    assertEquals("contentBlockDelta", SdkValues.eventType(delta));
    assertEquals(Map.of("delta", Map.of("text", "Hel"), "contentBlockIndex", 0),
        SdkValues.read(delta));
  }

  @Test
  void unionsReadAsTheOneMemberSet() throws Exception {
    assertEquals(Map.of("role", "assistant", "content", List.of(Map.of("text", "hi"))),
        SdkValues.read(Message.builder().role("assistant").content(ContentBlock.fromText("hi"))
            .build()));
  }
}
