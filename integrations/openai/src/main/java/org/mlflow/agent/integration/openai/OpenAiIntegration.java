package org.mlflow.agent.integration.openai;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import java.util.ArrayList;
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
    List<Hook> hooks = new ArrayList<>();
    hooks.addAll(chatHooks("chat.ChatCompletionServiceImpl", "chat.ChatCompletionServiceAsyncImpl",
        CHAT_PARAMS, CHAT_COMPLETION_CONTENT, CHAT_COMPLETION_STREAM_CONTENT, "Completions"));
    hooks.addAll(chatHooks("ResponseServiceImpl", "ResponseServiceAsyncImpl", RESPONSE_PARAMS,
        RESPONSE_CONTENT, RESPONSE_STREAM_CONTENT, "Responses"));
    hooks.add(hook(BLOCKING + "EmbeddingServiceImpl" + RAW, "create", EMBEDDING_PARAMS,
        RAW_RESPONSE, OpenAiAdvice.RawCall.class)
        .withSpan(EMBEDDING_CONTENT, "Embeddings", "EMBEDDING"));
    hooks.add(hook(ASYNC + "EmbeddingServiceAsyncImpl", "create", EMBEDDING_PARAMS, FUTURE,
        OpenAiAdvice.AsyncCall.class)
        .withSpan(EMBEDDING_CONTENT, "Embeddings", "EMBEDDING"));
    return hooks;
  }

  /**
   * {@code create} and {@code createStreaming} of a chat API's blocking raw service and of its
   * async service: CHAT_MODEL spans named {@code spanName}.
   */
  private static List<Hook> chatHooks(String blockingService, String asyncService, String params,
      String content, String streamContent, String spanName) {
    String rawService = BLOCKING + blockingService + RAW;
    return List.of(
        hook(rawService, "create", params, RAW_RESPONSE, OpenAiAdvice.RawCall.class)
            .withSpan(content, spanName, "CHAT_MODEL"),
        hook(rawService, "createStreaming", params, RAW_RESPONSE, OpenAiAdvice.RawCall.class)
            .withSpan(streamContent, spanName, "CHAT_MODEL"),
        hook(ASYNC + asyncService, "create", params, FUTURE, OpenAiAdvice.AsyncCall.class)
            .withSpan(content, spanName, "CHAT_MODEL"),
        hook(ASYNC + asyncService, "createStreaming", params, ASYNC_STREAM_RESPONSE,
            OpenAiAdvice.AsyncStreamingCall.class)
            .withSpan(streamContent, spanName, "CHAT_MODEL"));
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
