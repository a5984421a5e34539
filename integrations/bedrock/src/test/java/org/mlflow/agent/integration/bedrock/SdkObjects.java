package org.mlflow.agent.integration.bedrock;

import java.util.Map;
import software.amazon.awssdk.awscore.DefaultAwsResponseMetadata;
import software.amazon.awssdk.awscore.util.AwsHeader;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.bedrockruntime.model.BedrockRuntimeResponseMetadata;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.InferenceConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;
import software.amazon.awssdk.services.bedrockruntime.model.ToolConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.ToolInputSchema;
import software.amazon.awssdk.services.bedrockruntime.model.ToolSpecification;

/** Real SDK request and response objects, as an application and the SDK build them. */
final class SdkObjects {

  static final String MODEL = "anthropic.claude-3-haiku-20240307-v1:0";

  private SdkObjects() {}

  static ConverseRequest converseRequest() {
    return ConverseRequest.builder()
        .modelId(MODEL)
        .messages(Message.builder().role(ConversationRole.USER)
            .content(ContentBlock.fromText("What is MLflow?")).build())
        .inferenceConfig(InferenceConfiguration.builder().maxTokens(256).temperature(0.5f).build())
        .toolConfig(ToolConfiguration.builder().tools(
            Tool.builder().toolSpec(ToolSpecification.builder()
                .name("get_weather")
                .description("The weather in a city")
                .inputSchema(ToolInputSchema.fromJson(Document.mapBuilder()
                    .putString("type", "object")
                    .putDocument("properties", Document.mapBuilder()
                        .putDocument("city", Document.mapBuilder().putString("type", "string")
                            .build())
                        .build())
                    .build()))
                .build()).build())
            .build())
        .build();
  }

  static ConverseResponse converseResponse(String requestId) {
    return (ConverseResponse) ConverseResponse.builder()
        .output(ConverseOutput.fromMessage(Message.builder().role(ConversationRole.ASSISTANT)
            .content(ContentBlock.fromText("MLflow is an open source platform.")).build()))
        .stopReason(StopReason.END_TURN)
        .usage(TokenUsage.builder().inputTokens(12).outputTokens(8).totalTokens(20).build())
        .responseMetadata(metadata(requestId))
        .build();
  }

  static InvokeModelRequest invokeModelRequest(String body) {
    return InvokeModelRequest.builder().modelId(MODEL).contentType("application/json")
        .body(SdkBytes.fromUtf8String(body)).build();
  }

  static InvokeModelResponse invokeModelResponse(String body, String requestId) {
    return (InvokeModelResponse) InvokeModelResponse.builder()
        .contentType("application/json")
        .body(SdkBytes.fromUtf8String(body))
        .responseMetadata(metadata(requestId))
        .build();
  }

  static BedrockRuntimeResponseMetadata metadata(String requestId) {
    return BedrockRuntimeResponseMetadata.create(
        DefaultAwsResponseMetadata.create(Map.of(AwsHeader.AWS_REQUEST_ID, requestId)));
  }
}
