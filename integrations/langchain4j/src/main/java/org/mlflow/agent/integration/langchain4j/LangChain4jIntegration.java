package org.mlflow.agent.integration.langchain4j;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.declaresField;
import static net.bytebuddy.matcher.ElementMatchers.fieldType;
import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import java.util.List;
import java.util.Map;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.mlflow.agent.integration.ContentRenderer;
import org.mlflow.agent.integration.Hook;
import org.mlflow.agent.integration.Integration;

/**
 * LangChain4j 1.x: chat models (blocking and streaming), embedding models, embedding stores,
 * content retrievers, tool executors and AI services.
 *
 * <p>Most entry points are interface default methods that delegate to each other (a {@code chat}
 * overload to another, {@code embed(String)} to {@code embedAll}) or to the provider's own
 * implementation. Each hooked method starts its span with {@code Tracing.startOutermost}: the
 * outermost hooked call of a kind is the one span, whichever entry point the application used and
 * whatever the library version chains through.
 *
 * <p>Implementations are matched only inside LangChain4j's packages ({@code dev.langchain4j.*}),
 * so that matching stays cheap; the interfaces' own default methods cover the rest where the
 * library has them.
 */
public final class LangChain4jIntegration implements Integration {

  static final String CHAT_CONTENT = "langchain4j.chat";
  static final String STREAMING_CHAT_CONTENT = "langchain4j.chat.stream";
  static final String EMBEDDING_CONTENT = "langchain4j.embedding";
  static final String STORE_SEARCH_CONTENT = "langchain4j.store.search";
  static final String RETRIEVER_CONTENT = "langchain4j.retriever";
  static final String TOOL_CONTENT = "langchain4j.tool";
  static final String AI_SERVICE_CONTENT = "langchain4j.ai.service";

  static final String STREAMING_HANDLER =
      "dev.langchain4j.model.chat.response.StreamingChatResponseHandler";

  private static final String LC4J = "dev.langchain4j.";
  private static final String CHAT_MODEL = "dev.langchain4j.model.chat.ChatModel";
  private static final String STREAMING_CHAT_MODEL =
      "dev.langchain4j.model.chat.StreamingChatModel";
  private static final String CHAT_REQUEST = "dev.langchain4j.model.chat.request.ChatRequest";
  private static final String CHAT_OPTIONS = "dev.langchain4j.model.chat.ChatRequestOptions";
  private static final String EMBEDDING_MODEL = "dev.langchain4j.model.embedding.EmbeddingModel";
  private static final String EMBEDDING_STORE = "dev.langchain4j.store.embedding.EmbeddingStore";
  private static final String CONTENT_RETRIEVER =
      "dev.langchain4j.rag.content.retriever.ContentRetriever";
  private static final String TOOL_EXECUTOR = "dev.langchain4j.service.tool.ToolExecutor";
  private static final String TOOL_REQUEST = "dev.langchain4j.agent.tool.ToolExecutionRequest";
  private static final String EXECUTOR = "java.util.concurrent.Executor";

  @Override
  public List<String> libraryPackages() {
    return List.of("dev.langchain4j.");
  }

  @Override
  public String name() {
    return "langchain4j";
  }

  @Override
  public List<Hook> hooks() {
    ElementMatcher.Junction<MethodDescription> chat = named("chat")
        .and(takesArgument(0, named(CHAT_REQUEST)))
        .and(returns(named("dev.langchain4j.model.chat.response.ChatResponse")))
        .and(takesArguments(1).or(takesArguments(2).and(takesArgument(1, named(CHAT_OPTIONS)))));
    ElementMatcher.Junction<MethodDescription> streamingChat = named("chat")
        .and(takesArgument(0, named(CHAT_REQUEST)))
        .and(returns(void.class))
        .and(takesArguments(2).and(takesArgument(1, named(STREAMING_HANDLER)))
            .or(takesArguments(3).and(takesArgument(1, named(CHAT_OPTIONS)))
                .and(takesArgument(2, named(STREAMING_HANDLER)))));
    ElementMatcher.Junction<MethodDescription> embed = not(isAbstract())
        .and(takesArguments(1))
        .and(named("embed").and(takesArgument(0, named("java.lang.String")
                .or(named("dev.langchain4j.data.segment.TextSegment"))
                .or(named("dev.langchain4j.model.embedding.request.EmbeddingRequest"))))
            .or(named("embedAll").and(takesArgument(0, named("java.util.List")))));
    ElementMatcher.Junction<MethodDescription> search = not(isAbstract())
        .and(named("search"))
        .and(takesArguments(1))
        .and(takesArgument(0, named("dev.langchain4j.store.embedding.EmbeddingSearchRequest")));
    ElementMatcher.Junction<MethodDescription> retrieve = not(isAbstract())
        .and(named("retrieve"))
        .and(takesArguments(1))
        .and(takesArgument(0, named("dev.langchain4j.rag.query.Query")))
        .and(returns(named("java.util.List")));
    ElementMatcher.Junction<MethodDescription> executeTool = not(isAbstract())
        .and(takesArguments(2))
        .and(takesArgument(0, named(TOOL_REQUEST)))
        .and(named("execute").and(takesArgument(1, named("java.lang.Object")))
                .and(returns(named("java.lang.String")))
            .or(named("executeWithContext")
                .and(takesArgument(1, named("dev.langchain4j.invocation.InvocationContext")))));
    ElementMatcher.Junction<MethodDescription> invokeProxy = named("invoke")
        .and(takesArguments(3))
        .and(takesArgument(0, named("java.lang.Object")))
        .and(takesArgument(1, named("java.lang.reflect.Method")))
        .and(takesArgument(2, named("java.lang.Object[]")));
    ElementMatcher.Junction<MethodDescription> setsExecutor = isConstructor()
        .or(named("executeToolsConcurrently"));
    return List.of(
        Hook.of("ChatModel.chat(ChatRequest[, ChatRequestOptions])", named(CHAT_MODEL), chat,
            ChatAdvice.class),
        Hook.of("StreamingChatModel.chat(ChatRequest[, ChatRequestOptions], handler)",
            named(STREAMING_CHAT_MODEL), streamingChat, StreamingChatAdvice.class),
        Hook.of("EmbeddingModel.embed/embedAll", named(EMBEDDING_MODEL), embed,
            EmbeddingAdvice.class),
        Hook.of("an EmbeddingModel's embedAll", implementationOf(EMBEDDING_MODEL, embed), embed,
            EmbeddingAdvice.class),
        Hook.of("an EmbeddingStore's search(EmbeddingSearchRequest)",
            implementationOf(EMBEDDING_STORE, search), search, StoreSearchAdvice.class),
        Hook.of("a ContentRetriever's retrieve(Query)",
            implementationOf(CONTENT_RETRIEVER, retrieve), retrieve, RetrieverAdvice.class),
        Hook.of("ToolExecutor.executeWithContext",
            named(TOOL_EXECUTOR).and(declaresMethod(executeTool)), executeTool,
            ToolAdvice.class),
        Hook.of("a ToolExecutor's execute/executeWithContext",
            implementationOf(TOOL_EXECUTOR, executeTool), executeTool, ToolAdvice.class),
        Hook.of("the AI service proxy's InvocationHandler.invoke",
            nameStartsWith("dev.langchain4j.service.DefaultAiServices$")
                .and(hasSuperType(named("java.lang.reflect.InvocationHandler")))
                .and(declaresMethod(invokeProxy)),
            invokeProxy, AiServiceAdvice.class),
        Hook.of("the executor field of DefaultRetrievalAugmentor and ToolService",
            named("dev.langchain4j.rag.DefaultRetrievalAugmentor")
                .or(named("dev.langchain4j.service.tool.ToolService"))
                .and(declaresField(named("executor").and(fieldType(named(EXECUTOR))))),
            setsExecutor, ExecutorContextAdvice.class));
  }

  /**
   * LangChain4j's own classes implementing {@code type} that declare a hooked method: most
   * implementations inherit it, and are left alone (and unreported).
   */
  private static ElementMatcher<TypeDescription> implementationOf(String type,
      ElementMatcher<? super MethodDescription> methods) {
    return nameStartsWith(LC4J)
        .and(not(isInterface()))
        .and(declaresMethod(methods))
        .and(hasSuperType(named(type)));
  }

  @Override
  public Map<String, ContentRenderer> renderers() {
    LangChain4jJson json = new LangChain4jJson();
    return Map.of(
        CHAT_CONTENT, new ChatRenderer(false),
        STREAMING_CHAT_CONTENT, new ChatRenderer(true),
        EMBEDDING_CONTENT, new EmbeddingRenderer(),
        STORE_SEARCH_CONTENT, new StoreSearchRenderer(),
        RETRIEVER_CONTENT, new RetrieverRenderer(),
        TOOL_CONTENT, new ToolRenderer(json),
        AI_SERVICE_CONTENT, new AiServiceRenderer(json));
  }
}
