package org.mlflow.agent.integration.anthropic;

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

/** The Anthropic Java SDK ({@code com.anthropic:anthropic-java} 3.x): the Messages API. */
public final class AnthropicIntegration implements Integration {

  static final String MESSAGE_CONTENT = "anthropic.message";
  static final String MESSAGE_STREAM_CONTENT = "anthropic.message.stream";

  /** As MLflow's Python autolog names them: the SDK resource's class name, then the method. */
  static final String SPAN_NAME = "Messages.create";
  static final String ASYNC_SPAN_NAME = "AsyncMessages.create";

  private static final String BLOCKING_SERVICE = "com.anthropic.services.blocking.MessageServiceImpl";
  private static final String ASYNC_SERVICE = "com.anthropic.services.async.MessageServiceAsyncImpl";
  private static final String PARAMS = "com.anthropic.models.messages.MessageCreateParams";
  private static final String REQUEST_OPTIONS = "com.anthropic.core.RequestOptions";

  static final String STREAM_RESPONSE = "com.anthropic.core.http.StreamResponse";
  static final String ASYNC_STREAM_RESPONSE = "com.anthropic.core.http.AsyncStreamResponse";

  @Override
  public List<String> libraryPackages() {
    return List.of("com.anthropic.services.");
  }

  @Override
  public String name() {
    return "anthropic";
  }

  @Override
  public List<Hook> hooks() {
    // The service implementations: every create()/createStreaming() overload, and withOptions()
    // copies, end in these (params, RequestOptions) methods, so each call is one span.
    return List.of(
        Hook.of("MessageServiceImpl.create(MessageCreateParams, RequestOptions)",
            named(BLOCKING_SERVICE),
            messagesCall("create", "com.anthropic.models.messages.Message"),
            MessageCreateAdvice.class),
        Hook.of("MessageServiceImpl.createStreaming(MessageCreateParams, RequestOptions)",
            named(BLOCKING_SERVICE),
            messagesCall("createStreaming", STREAM_RESPONSE),
            MessageStreamAdvice.class),
        Hook.of("MessageServiceAsyncImpl.create(MessageCreateParams, RequestOptions)",
            named(ASYNC_SERVICE),
            messagesCall("create", "java.util.concurrent.CompletableFuture"),
            AsyncMessageCreateAdvice.class),
        Hook.of("MessageServiceAsyncImpl.createStreaming(MessageCreateParams, RequestOptions)",
            named(ASYNC_SERVICE),
            messagesCall("createStreaming", ASYNC_STREAM_RESPONSE),
            AsyncMessageStreamAdvice.class));
  }

  private static ElementMatcher<MethodDescription> messagesCall(String method, String returned) {
    return named(method)
        .and(takesArguments(2))
        .and(takesArgument(0, named(PARAMS)))
        .and(takesArgument(1, named(REQUEST_OPTIONS)))
        .and(returns(named(returned)));
  }

  @Override
  public Map<String, ContentRenderer> renderers() {
    MessageContent messages = new MessageContent();
    return Map.of(
        MESSAGE_CONTENT, new MessageRenderer(messages),
        MESSAGE_STREAM_CONTENT, new MessageStreamRenderer(messages));
  }
}
