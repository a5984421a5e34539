package org.mlflow.agent.it.bedrock;

import org.mlflow.agent.it.support.TestSecrets;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.async.SdkPublisher;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.core.util.VersionInfo;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDeltaEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;
import software.amazon.awssdk.services.bedrockruntime.model.ToolInputSchema;

/**
 * A plain Bedrock Runtime app with no tracing code: every call form the agent traces, each once
 * (sync and async Converse and InvokeModel, ConverseStream through a visitor and through a
 * subscriber of its own, InvokeModelWithResponseStream), and the ways they fail. Its output must
 * be the same with and without the agent.
 *
 * <p>Arguments: the endpoint of a Bedrock Runtime fake on 127.0.0.1.
 */
public final class BedrockApp {

  /** Never to be seen in a trace or a log line. */
  public static final String ACCESS_KEY_ID = "AKIAFAKE";
  public static final String SECRET_ACCESS_KEY = TestSecrets.AWS_SECRET_ACCESS_KEY;

  public static final String MODEL = "anthropic.claude-3-haiku-20240307-v1:0";
  public static final String REFUSED_MODEL = "refused-model";
  public static final String THROTTLED_MODEL = "throttled-model";
  public static final String THROTTLED_ONCE_MODEL = "throttled-once-model";
  public static final String BROKEN_STREAM_MODEL = "broken-stream-model";

  public static final String QUESTION = "What is MLflow?";
  public static final String TOOL_NAME = "get_weather";
  public static final String SYSTEM = "Answer in one sentence.";
  public static final String INVOKE_BODY = "{\"anthropic_version\":\"bedrock-2023-05-31\","
      + "\"max_tokens\":200,\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}]}";

  /**
   * Netty notes at INFO, on stderr, when the cancelled stream's last frames arrive after the
   * cancel, depending on timing; the app keeps its stderr quiet, as an app with a logging set-up
   * would. Held here so that the level is not lost with a collected logger.
   */
  private static final java.util.logging.Logger NETTY_LOG =
      java.util.logging.Logger.getLogger("io.netty");

  private BedrockApp() {}

  public static void main(String[] args) throws Exception {
    NETTY_LOG.setLevel(java.util.logging.Level.WARNING);
    // Two attempts: enough for the throttled-once stream, and a throttled call fails fast.
    System.setProperty("aws.maxAttempts", "2");
    // Read at run time: the constant itself is inlined when this class is compiled.
    System.out.println("aws-sdk-java-v2 " + VersionInfo.class.getField("SDK_VERSION").get(null));
    URI endpoint = URI.create(args[0]);
    StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
        AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY));
    try (BedrockRuntimeClient sync = BedrockRuntimeClient.builder()
            .endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(credentials)
            .build();
        BedrockRuntimeAsyncClient async = BedrockRuntimeAsyncClient.builder()
            .endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(credentials)
            .build()) {
      converse(sync, MODEL);
      converse(sync, REFUSED_MODEL);
      invokeModel(sync);
      converseAsync(async, MODEL);
      converseAsync(async, THROTTLED_MODEL);
      invokeModelAsync(async);
      converseStream(async, MODEL);
      converseStream(async, REFUSED_MODEL);
      converseStream(async, BROKEN_STREAM_MODEL);
      converseStream(async, THROTTLED_ONCE_MODEL);
      converseStreamCancelledAfterFirstText(async);
      invokeModelWithResponseStream(async);
    }
  }

  static ConverseRequest converseRequest(String model) {
    return ConverseRequest.builder()
        .modelId(model)
        .system(SystemContentBlock.fromText(SYSTEM))
        .messages(Message.builder().role(ConversationRole.USER)
            .content(ContentBlock.fromText(QUESTION)).build())
        .inferenceConfig(config -> config.maxTokens(200).temperature(0.0f))
        .toolConfig(tools -> tools.tools(Tool.builder().toolSpec(spec -> spec
            .name(TOOL_NAME)
            .description("The current weather in a city")
            .inputSchema(ToolInputSchema.fromJson(Document.mapBuilder()
                .putString("type", "object")
                .putDocument("properties", Document.mapBuilder()
                    .putDocument("city", Document.mapBuilder().putString("type", "string").build())
                    .build())
                .build())))
            .build()))
        .build();
  }

  static ConverseStreamRequest converseStreamRequest(String model) {
    return ConverseStreamRequest.builder()
        .modelId(model)
        .system(SystemContentBlock.fromText(SYSTEM))
        .messages(Message.builder().role(ConversationRole.USER)
            .content(ContentBlock.fromText(QUESTION)).build())
        .build();
  }

  private static void converse(BedrockRuntimeClient client, String model) {
    try {
      printAnswer("converse", client.converse(converseRequest(model)));
    } catch (RuntimeException failure) {
      printError("converse", failure);
    }
  }

  private static void converseAsync(BedrockRuntimeAsyncClient client, String model) {
    try {
      printAnswer("async converse", client.converse(converseRequest(model)).join());
    } catch (CompletionException failure) {
      printError("async converse", failure.getCause());
    }
  }

  private static void invokeModel(BedrockRuntimeClient client) {
    InvokeModelResponse response = client.invokeModel(invokeRequest());
    System.out.println("invokeModel: " + response.body().asUtf8String()
        + " (request " + response.responseMetadata().requestId() + ")");
  }

  private static void invokeModelAsync(BedrockRuntimeAsyncClient client) {
    // The convenience overload: it builds the request and ends in invokeModel(request).
    InvokeModelResponse response = client.invokeModel(request -> request.modelId(MODEL)
        .contentType("application/json").accept("application/json")
        .body(SdkBytes.fromUtf8String(INVOKE_BODY))).join();
    System.out.println("async invokeModel: " + response.body().asUtf8String());
  }

  private static InvokeModelRequest invokeRequest() {
    return InvokeModelRequest.builder().modelId(MODEL).contentType("application/json")
        .accept("application/json").body(SdkBytes.fromUtf8String(INVOKE_BODY)).build();
  }

  /** The SDK's own handler builder with a visitor, as its documentation shows. */
  private static void converseStream(BedrockRuntimeAsyncClient client, String model) {
    StringBuilder text = new StringBuilder();
    StringBuilder seen = new StringBuilder();
    ConverseStreamResponseHandler handler = ConverseStreamResponseHandler.builder()
        .onResponse(response -> seen.append("[response ")
            .append(response.responseMetadata().requestId()).append("]"))
        .subscriber(ConverseStreamResponseHandler.Visitor.builder()
            .onMessageStart(event -> seen.append("[start ").append(event.roleAsString())
                .append("]"))
            .onContentBlockDelta(event -> text.append(event.delta().text()))
            .onMessageStop(event -> seen.append("[stop ").append(event.stopReasonAsString())
                .append("]"))
            .onMetadata(event -> seen.append("[tokens ").append(event.usage().totalTokens())
                .append("]"))
            .build())
        .onError(error -> seen.append("[error ").append(error.getClass().getSimpleName())
            .append("]"))
        .onComplete(() -> seen.append("[complete]"))
        .build();
    String label = "converseStream " + model;
    try {
      client.converseStream(converseStreamRequest(model), handler).join();
      System.out.println(label + ": " + text + " " + seen);
    } catch (CompletionException failure) {
      System.out.println(label + ": " + text + " " + seen);
      printError(label, failure.getCause());
    }
  }

  /** A handler of the app's own that stops reading after the first text. */
  private static void converseStreamCancelledAfterFirstText(BedrockRuntimeAsyncClient client)
      throws Exception {
    CompletableFuture<String> firstText = new CompletableFuture<>();
    ConverseStreamResponseHandler handler = new ConverseStreamResponseHandler() {
      @Override
      public void responseReceived(ConverseStreamResponse response) {}

      @Override
      public void onEventStream(SdkPublisher<ConverseStreamOutput> publisher) {
        publisher.subscribe(new Subscriber<ConverseStreamOutput>() {
          private Subscription subscription;

          @Override
          public void onSubscribe(Subscription s) {
            subscription = s;
            s.request(1);
          }

          @Override
          public void onNext(ConverseStreamOutput event) {
            if (event instanceof ContentBlockDeltaEvent) {
              firstText.complete(((ContentBlockDeltaEvent) event).delta().text());
              subscription.cancel();
            } else {
              subscription.request(1);
            }
          }

          @Override
          public void onError(Throwable error) {
            firstText.completeExceptionally(error);
          }

          @Override
          public void onComplete() {}
        });
      }

      @Override
      public void exceptionOccurred(Throwable error) {}

      @Override
      public void complete() {}
    };
    CompletableFuture<Void> call = client.converseStream(converseStreamRequest(MODEL), handler);
    System.out.println("converseStream cancelled after: " + firstText.get(30, TimeUnit.SECONDS));
    try {
      call.get(10, TimeUnit.SECONDS);
      System.out.println("converseStream cancelled: the call completed");
    } catch (TimeoutException stillOpen) {
      System.out.println("converseStream cancelled: the call did not complete");
    } catch (java.util.concurrent.ExecutionException failure) {
      System.out.println("converseStream cancelled: the call failed with "
          + failure.getCause().getClass().getSimpleName());
    }
  }

  private static void invokeModelWithResponseStream(BedrockRuntimeAsyncClient client) {
    List<String> chunks = new CopyOnWriteArrayList<>();
    InvokeModelWithResponseStreamResponseHandler handler =
        InvokeModelWithResponseStreamResponseHandler.builder()
            .subscriber(InvokeModelWithResponseStreamResponseHandler.Visitor.builder()
                .onChunk(part -> chunks.add(part.bytes().asUtf8String()))
                .build())
            .build();
    client.invokeModelWithResponseStream(request -> request.modelId(MODEL)
        .contentType("application/json").body(SdkBytes.fromUtf8String(INVOKE_BODY)), handler)
        .join();
    System.out.println("invokeModelWithResponseStream: " + chunks.size() + " chunks, the last "
        + chunks.get(chunks.size() - 1));
  }

  private static void printAnswer(String label, ConverseResponse response) {
    System.out.println(label + ": " + response.output().message().content().get(0).text()
        + " (stop " + response.stopReasonAsString() + ", " + response.usage().totalTokens()
        + " tokens, request " + response.responseMetadata().requestId() + ")");
  }

  private static void printError(String label, Throwable failure) {
    System.out.println(label + " error: " + failure.getClass().getName() + ": "
        + failure.getMessage());
  }
}
