package org.mlflow.agent.integration.openai;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import java.util.List;
import java.util.Map;
import org.mlflow.agent.integration.ContentRenderer;
import org.mlflow.agent.integration.Hook;
import org.mlflow.agent.integration.Integration;
import org.mlflow.agent.integration.LibraryJson;

/**
 * The OpenAI Java SDK ({@code com.openai:openai-java} 4.x): chat completions, the Responses API
 * and embeddings, blocking and async, streamed or not.
 *
 * <p>Each call the application makes is one span, because exactly one hooked method runs for it:
 *
 * <ul>
 *   <li>Blocking: {@code XServiceImpl.create/createStreaming} (every overload, structured outputs,
 *       {@code withOptions()} copies) only call {@code withRawResponse().create/createStreaming}
 *       and parse the result. The hook is on that raw method, {@code
 *       XServiceImpl$WithRawResponseImpl}, so an application's own {@code withRawResponse()} call
 *       is traced too, and the plain one is not traced twice.
 *   <li>Async: {@code XServiceAsyncImpl.create/createStreaming}, built over the async raw service
 *       (never over the blocking one), which is not hooked: its future of a raw response cannot be
 *       observed without handing the application another future.
 * </ul>
 */
public final class OpenAiIntegration implements Integration {

  static final String CHAT_COMPLETION_CONTENT = "openai.chat.completion";
  static final String CHAT_COMPLETION_STREAM_CONTENT = "openai.chat.completion.stream";
  static final String RESPONSE_CONTENT = "openai.response";
  static final String RESPONSE_STREAM_CONTENT = "openai.response.stream";
  static final String EMBEDDING_CONTENT = "openai.embedding";

  /** The blocking services' raw twins: {@code withRawResponse()}. */
  private static final String RAW = "$WithRawResponseImpl";
  private static final String BLOCKING = "com.openai.services.blocking.";
  private static final String ASYNC = "com.openai.services.async.";
  private static final String RAW_RESPONSE = "com.openai.core.http.HttpResponseFor";
  private static final String ASYNC_STREAM_RESPONSE = "com.openai.core.http.AsyncStreamResponse";
  private static final String FUTURE = "java.util.concurrent.CompletableFuture";

  private static final String CHAT_PARAMS =
      "com.openai.models.chat.completions.ChatCompletionCreateParams";
  private static final String RESPONSE_PARAMS = "com.openai.models.responses.ResponseCreateParams";
  private static final String EMBEDDING_PARAMS =
      "com.openai.models.embeddings.EmbeddingCreateParams";

  @Override
  public List<String> libraryPackages() {
    return List.of("com.openai.services.");
  }

  @Override
  public String name() {
    return "openai";
  }

  @Override
  public List<Hook> hooks() {
    return List.of(
        hook(BLOCKING + "chat.ChatCompletionServiceImpl" + RAW, "create", CHAT_PARAMS,
            RAW_RESPONSE, ChatCompletionAdvice.Create.class),
        hook(BLOCKING + "chat.ChatCompletionServiceImpl" + RAW, "createStreaming", CHAT_PARAMS,
            RAW_RESPONSE, ChatCompletionAdvice.CreateStreaming.class),
        hook(ASYNC + "chat.ChatCompletionServiceAsyncImpl", "create", CHAT_PARAMS, FUTURE,
            ChatCompletionAdvice.CreateAsync.class),
        hook(ASYNC + "chat.ChatCompletionServiceAsyncImpl", "createStreaming", CHAT_PARAMS,
            ASYNC_STREAM_RESPONSE, ChatCompletionAdvice.CreateStreamingAsync.class),
        hook(BLOCKING + "ResponseServiceImpl" + RAW, "create", RESPONSE_PARAMS, RAW_RESPONSE,
            ResponseAdvice.Create.class),
        hook(BLOCKING + "ResponseServiceImpl" + RAW, "createStreaming", RESPONSE_PARAMS,
            RAW_RESPONSE, ResponseAdvice.CreateStreaming.class),
        hook(ASYNC + "ResponseServiceAsyncImpl", "create", RESPONSE_PARAMS, FUTURE,
            ResponseAdvice.CreateAsync.class),
        hook(ASYNC + "ResponseServiceAsyncImpl", "createStreaming", RESPONSE_PARAMS,
            ASYNC_STREAM_RESPONSE, ResponseAdvice.CreateStreamingAsync.class),
        hook(BLOCKING + "EmbeddingServiceImpl" + RAW, "create", EMBEDDING_PARAMS, RAW_RESPONSE,
            EmbeddingAdvice.Create.class),
        hook(ASYNC + "EmbeddingServiceAsyncImpl", "create", EMBEDDING_PARAMS, FUTURE,
            EmbeddingAdvice.CreateAsync.class));
  }

  /** {@code method(params, RequestOptions)} of {@code service}, returning {@code returnType}. */
  private static Hook hook(String service, String method, String params, String returnType,
      Class<?> advice) {
    return Hook.of(
        simpleName(service) + "." + method + "(" + simpleName(params) + ", RequestOptions)",
        named(service),
        named(method)
            .and(takesArguments(2))
            .and(takesArgument(0, named(params)))
            .and(takesArgument(1, named("com.openai.core.RequestOptions")))
            .and(returns(named(returnType))),
        advice);
  }

  private static String simpleName(String className) {
    return className.substring(className.lastIndexOf('.') + 1);
  }

  @Override
  public Map<String, ContentRenderer> renderers() {
    LibraryJson sdkJson = new LibraryJson("com.openai.core.ObjectMappers", "jsonMapper");
    return Map.of(
        CHAT_COMPLETION_CONTENT, new ChatCompletionRenderer(sdkJson, false),
        CHAT_COMPLETION_STREAM_CONTENT, new ChatCompletionRenderer(sdkJson, true),
        RESPONSE_CONTENT, new ResponseRenderer(sdkJson, false),
        RESPONSE_STREAM_CONTENT, new ResponseRenderer(sdkJson, true),
        EMBEDDING_CONTENT, new EmbeddingRenderer(sdkJson));
  }
}
