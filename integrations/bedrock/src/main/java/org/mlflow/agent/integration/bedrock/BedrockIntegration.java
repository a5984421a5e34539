package org.mlflow.agent.integration.bedrock;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import java.util.List;
import java.util.Map;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.mlflow.agent.integration.ContentRenderer;
import org.mlflow.agent.integration.Hook;
import org.mlflow.agent.integration.Integration;

/**
 * The AWS SDK for Java v2 Bedrock Runtime client ({@code software.amazon.awssdk:bedrockruntime}).
 *
 * <p>The hooks sit on the SDK's default client implementations, which every builder returns and
 * every convenience overload ({@code converse(Consumer<Builder>)}) ends in: one span per call,
 * retries included. An SDK {@code ExecutionInterceptor} is not used: the agent is compiled against
 * no SDK class, and the SDK finds global interceptors through a resource in its own class loader,
 * which the agent cannot provide to every loader an application may run the SDK in.
 */
public final class BedrockIntegration implements Integration {

  static final String CONVERSE_CONTENT = "bedrock.converse";
  static final String INVOKE_MODEL_CONTENT = "bedrock.invoke_model";
  static final String CONVERSE_STREAM_CONTENT = "bedrock.converse_stream";
  static final String INVOKE_MODEL_STREAM_CONTENT = "bedrock.invoke_model_with_response_stream";

  private static final String CLIENTS = "software.amazon.awssdk.services.bedrockruntime.";
  private static final String MODEL = CLIENTS + "model.";
  private static final String SYNC_CLIENT = CLIENTS + "DefaultBedrockRuntimeClient";
  private static final String ASYNC_CLIENT = CLIENTS + "DefaultBedrockRuntimeAsyncClient";
  private static final String FUTURE = "java.util.concurrent.CompletableFuture";

  @Override
  public List<String> libraryPackages() {
    return List.of("software.amazon.awssdk.services.bedrockruntime.");
  }

  @Override
  public String name() {
    return "bedrock";
  }

  @Override
  public List<Hook> hooks() {
    return List.of(
        Hook.of("DefaultBedrockRuntimeClient.converse(ConverseRequest)",
            named(SYNC_CLIENT),
            oneRequest("converse", "ConverseRequest", MODEL + "ConverseResponse"),
            ConverseAdvice.class),
        Hook.of("DefaultBedrockRuntimeAsyncClient.converse(ConverseRequest)",
            named(ASYNC_CLIENT),
            oneRequest("converse", "ConverseRequest", FUTURE),
            ConverseAdvice.class),
        Hook.of("DefaultBedrockRuntimeClient.invokeModel(InvokeModelRequest)",
            named(SYNC_CLIENT),
            oneRequest("invokeModel", "InvokeModelRequest", MODEL + "InvokeModelResponse"),
            InvokeModelAdvice.class),
        Hook.of("DefaultBedrockRuntimeAsyncClient.invokeModel(InvokeModelRequest)",
            named(ASYNC_CLIENT),
            oneRequest("invokeModel", "InvokeModelRequest", FUTURE),
            InvokeModelAdvice.class),
        Hook.of("DefaultBedrockRuntimeAsyncClient.converseStream(ConverseStreamRequest,"
                + " ConverseStreamResponseHandler)",
            named(ASYNC_CLIENT),
            named("converseStream")
                .and(takesArguments(2))
                .and(takesArgument(0, named(MODEL + "ConverseStreamRequest")))
                .and(takesArgument(1, named(MODEL + "ConverseStreamResponseHandler")))
                .and(returns(named(FUTURE))),
            ConverseStreamAdvice.class),
        Hook.of("DefaultBedrockRuntimeAsyncClient.invokeModelWithResponseStream("
                + "InvokeModelWithResponseStreamRequest,"
                + " InvokeModelWithResponseStreamResponseHandler)",
            named(ASYNC_CLIENT),
            named("invokeModelWithResponseStream")
                .and(takesArguments(2))
                .and(takesArgument(0, named(MODEL + "InvokeModelWithResponseStreamRequest")))
                .and(takesArgument(1,
                    named(MODEL + "InvokeModelWithResponseStreamResponseHandler")))
                .and(returns(named(FUTURE))),
            InvokeModelStreamAdvice.class));
  }

  private static ElementMatcher<MethodDescription> oneRequest(
      String method, String requestType, String returnType) {
    return named(method)
        .and(takesArguments(1))
        .and(takesArgument(0, named(MODEL + requestType)))
        .and(returns(named(returnType)));
  }

  @Override
  public Map<String, ContentRenderer> renderers() {
    return Map.of(
        CONVERSE_CONTENT, new ConverseRenderer(),
        INVOKE_MODEL_CONTENT, new InvokeModelRenderer(),
        CONVERSE_STREAM_CONTENT, new ConverseStreamRenderer(),
        INVOKE_MODEL_STREAM_CONTENT, new InvokeModelStreamRenderer());
  }
}
