package org.mlflow.agent.integration.springai;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
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
 * Spring AI 1.1 and 2.0: every implementation of its model, vector store and tool interfaces, and
 * the {@code ChatClient} calls over them.
 *
 * <p>The interfaces' own methods are the hooks, woven into each class that implements them (the
 * class must declare the method: matching looks at a class's declared methods before walking its
 * hierarchy, so it stays cheap). Default methods that delegate ({@code ChatModel.call(String)},
 * {@code VectorStore.similaritySearch(String)}, {@code ToolCallback.call(String)} to {@code
 * call(String, ToolContext)}) and wrappers calling what they wrap are one span, through {@code
 * Tracing.startOutermost}. Bridge methods ({@code call(ModelRequest)}) are not matched: their
 * argument type differs.
 */
public final class SpringAiIntegration implements Integration {

  static final String CHAT_CONTENT = "springai.chat";
  static final String CHAT_STREAM_CONTENT = "springai.chat.stream";
  static final String EMBEDDING_CONTENT = "springai.embedding";
  static final String RETRIEVER_CONTENT = "springai.retriever";
  static final String TOOL_CONTENT = "springai.tool";
  static final String CHAT_CLIENT_CONTENT = "springai.chatclient";
  static final String CHAT_CLIENT_STREAM_CONTENT = "springai.chatclient.stream";

  private static final String AI = "org.springframework.ai.";
  private static final String PROMPT = AI + "chat.prompt.Prompt";
  private static final String FLUX = "reactor.core.publisher.Flux";
  private static final String CALL_SPEC = AI + "chat.client.DefaultChatClient$DefaultCallResponseSpec";
  private static final String STREAM_SPEC =
      AI + "chat.client.DefaultChatClient$DefaultStreamResponseSpec";
  private static final String CLIENT_REQUEST = AI + "chat.client.ChatClientRequest";
  /** The interfaces whose implementations, in any package, are hooked. */
  private static final String CHAT_MODEL = AI + "chat.model.ChatModel";
  private static final String STREAMING_CHAT_MODEL = AI + "chat.model.StreamingChatModel";
  private static final String EMBEDDING_MODEL = AI + "embedding.EmbeddingModel";
  private static final String VECTOR_STORE_RETRIEVER = AI + "vectorstore.VectorStoreRetriever";
  private static final String TOOL_CALLBACK = AI + "tool.ToolCallback";

  @Override
  public List<String> libraryPackages() {
    return List.of("org.springframework.ai.");
  }

  @Override
  public List<String> typesImplementedAnywhere() {
    return List.of(CHAT_MODEL, STREAMING_CHAT_MODEL, EMBEDDING_MODEL, VECTOR_STORE_RETRIEVER,
        TOOL_CALLBACK);
  }

  @Override
  public String name() {
    return "spring-ai";
  }

  @Override
  public List<Hook> hooks() {
    ElementMatcher.Junction<MethodDescription> chatCall = named("call").and(takesArguments(1))
        .and(takesArgument(0, named(PROMPT)))
        .and(returns(named(AI + "chat.model.ChatResponse")));
    ElementMatcher.Junction<MethodDescription> chatStream = named("stream")
        .and(takesArguments(1)).and(takesArgument(0, named(PROMPT))).and(returns(named(FLUX)));
    ElementMatcher.Junction<MethodDescription> embeddingCall = named("call")
        .and(takesArguments(1))
        .and(takesArgument(0, named(AI + "embedding.EmbeddingRequest")))
        .and(returns(named(AI + "embedding.EmbeddingResponse")));
    ElementMatcher.Junction<MethodDescription> similaritySearch = named("similaritySearch")
        .and(takesArguments(1))
        .and(takesArgument(0, named(AI + "vectorstore.SearchRequest")))
        .and(returns(named("java.util.List")));
    ElementMatcher.Junction<MethodDescription> toolCall = named("call")
        .and(takesArgument(0, named("java.lang.String")))
        .and(takesArguments(1).or(takesArguments(2)
            .and(takesArgument(1, named(AI + "chat.model.ToolContext")))))
        .and(returns(named("java.lang.String")));
    ElementMatcher.Junction<MethodDescription> clientCall = named("doGetObservableChatClientResponse")
        .and(takesArgument(0, named(CLIENT_REQUEST)))
        .and(returns(named(AI + "chat.client.ChatClientResponse")));
    ElementMatcher.Junction<MethodDescription> clientStream = named("doGetObservableFluxChatResponse")
        .and(takesArguments(1)).and(takesArgument(0, named(CLIENT_REQUEST)))
        .and(returns(named(FLUX)));
    return List.of(
        implementation("ChatModel.call(Prompt)", CHAT_MODEL, chatCall,
            SpringAiAdvice.Call.class)
            .withSpan(CHAT_CONTENT, "ChatModel.call", "CHAT_MODEL"),
        implementation("StreamingChatModel.stream(Prompt)", STREAMING_CHAT_MODEL,
            chatStream, SpringAiAdvice.StreamingCall.class)
            .withSpan(CHAT_STREAM_CONTENT, "ChatModel.stream", "CHAT_MODEL"),
        implementation("EmbeddingModel.call(EmbeddingRequest)", EMBEDDING_MODEL,
            embeddingCall, SpringAiAdvice.Call.class)
            .withSpan(EMBEDDING_CONTENT, "EmbeddingModel.call", "EMBEDDING"),
        implementation("VectorStore.similaritySearch(SearchRequest)",
            VECTOR_STORE_RETRIEVER, similaritySearch,
            SpringAiAdvice.SimilaritySearch.class),
        // One span when call(String) delegates to call(String, ToolContext); the renderer names
        // it after the tool.
        implementation("ToolCallback.call(String[, ToolContext])", TOOL_CALLBACK,
            toolCall, SpringAiAdvice.Call.class)
            .withSpan(TOOL_CONTENT, "ToolCallback.call", "TOOL"),
        Hook.of("DefaultChatClient.DefaultCallResponseSpec.doGetObservableChatClientResponse",
            named(CALL_SPEC), clientCall, SpringAiAdvice.Call.class)
            .withSpan(CHAT_CLIENT_CONTENT, "ChatClient.call", "CHAIN"),
        Hook.of("DefaultChatClient.DefaultStreamResponseSpec.doGetObservableFluxChatResponse",
            named(STREAM_SPEC), clientStream, SpringAiAdvice.StreamingCall.class)
            .withSpan(CHAT_CLIENT_STREAM_CONTENT, "ChatClient.stream", "CHAIN"));
  }

  /**
   * {@code method} in every class that declares it and implements {@code interfaceName}. A class
   * whose declaration has another shape is not matched at all, so it is not woven wrongly.
   */
  private static Hook implementation(String description, String interfaceName,
      ElementMatcher.Junction<MethodDescription> method, Class<?> advice) {
    ElementMatcher.Junction<MethodDescription> concrete = method.and(not(isAbstract()));
    return Hook.of(description,
        not(isInterface()).and(declaresMethod(concrete)).and(hasSuperType(named(interfaceName))),
        concrete, advice);
  }

  @Override
  public Map<String, ContentRenderer> renderers() {
    ChatMessages messages = new ChatMessages();
    return Map.of(
        CHAT_CONTENT, new ChatModelRenderer(messages, false),
        CHAT_STREAM_CONTENT, new ChatModelRenderer(messages, true),
        CHAT_CLIENT_CONTENT, new ChatClientRenderer(messages, false),
        CHAT_CLIENT_STREAM_CONTENT, new ChatClientRenderer(messages, true),
        EMBEDDING_CONTENT, new EmbeddingRenderer(),
        RETRIEVER_CONTENT, new RetrieverRenderer(),
        TOOL_CONTENT, new ToolRenderer());
  }
}
