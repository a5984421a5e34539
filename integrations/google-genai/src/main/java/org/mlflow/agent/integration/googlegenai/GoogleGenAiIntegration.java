package org.mlflow.agent.integration.googlegenai;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.named;
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
 * The Google Gen AI Java SDK ({@code com.google.genai:google-genai} 1.x), for the Gemini API and
 * Vertex AI.
 */
public final class GoogleGenAiIntegration implements Integration {

  static final String GENERATE_CONTENT = "google-genai.generate-content";
  static final String GENERATE_CONTENT_STREAM = "google-genai.generate-content-stream";
  static final String EMBED_CONTENT = "google-genai.embed-content";

  private static final String PACKAGE = "com.google.genai.";
  private static final String TYPES = "com.google.genai.types.";
  private static final String MODELS = PACKAGE + "Models";
  private static final String ASYNC_MODELS = PACKAGE + "AsyncModels";
  private static final String RESPONSE_STREAM = PACKAGE + "ResponseStream";
  private static final String GENERATE_CONTENT_CONFIG = TYPES + "GenerateContentConfig";
  private static final String GENERATE_CONTENT_RESPONSE = TYPES + "GenerateContentResponse";
  private static final String EMBED_CONTENT_CONFIG = TYPES + "EmbedContentConfig";
  private static final String EMBED_CONTENT_RESPONSE = TYPES + "EmbedContentResponse";
  private static final String FUTURE = "java.util.concurrent.CompletableFuture";

  @Override
  public List<String> libraryPackages() {
    return List.of("com.google.genai.");
  }

  @Override
  public String name() {
    return "google-genai";
  }

  @Override
  public List<Hook> hooks() {
    return List.of(
        Hook.of("Models.generateContent(String, List, GenerateContentConfig)",
            named(MODELS),
            generateContent("generateContent", GENERATE_CONTENT_RESPONSE),
            ModelsAdvice.GenerateContent.class),
        Hook.of("Models.privateGenerateContent(String, List, GenerateContentConfig)",
            named(MODELS),
            generateContent("privateGenerateContent", GENERATE_CONTENT_RESPONSE),
            ModelsAdvice.ModelCall.class),
        Hook.of("Models.generateContentStream(String, List, GenerateContentConfig)",
            named(MODELS),
            generateContent("generateContentStream", RESPONSE_STREAM),
            ModelsAdvice.GenerateContentStream.class),
        Hook.of("Models.embedContent(String, List|Content, EmbedContentConfig)",
            named(MODELS),
            embedContent(EMBED_CONTENT_RESPONSE),
            ModelsAdvice.EmbedContent.class),
        Hook.of("ResponseStream.iterator()",
            named(RESPONSE_STREAM),
            named("iterator").and(takesArguments(0)).and(returns(named("java.util.Iterator"))),
            ResponseStreamAdvice.IteratorAdvice.class),
        Hook.of("ResponseStream.close()",
            named(RESPONSE_STREAM),
            named("close").and(takesArguments(0)),
            ResponseStreamAdvice.CloseAdvice.class),
        // Older SDKs ran the blocking Models methods on the common pool for AsyncModels, whose
        // calls the hooks above then trace; only an AsyncModels with its own requests is woven.
        Hook.of("AsyncModels.generateContent(String, List, GenerateContentConfig)",
            named(ASYNC_MODELS).and(declaresMethod(named("privateGenerateContent"))),
            generateContent("generateContent", FUTURE),
            AsyncModelsAdvice.GenerateContent.class),
        Hook.of("AsyncModels.privateGenerateContent(String, List, GenerateContentConfig)",
            named(ASYNC_MODELS).and(declaresMethod(named("privateGenerateContent"))),
            generateContent("privateGenerateContent", FUTURE),
            AsyncModelsAdvice.ModelCall.class),
        Hook.of("AsyncModels.generateContentStream(String, List, GenerateContentConfig)",
            named(ASYNC_MODELS).and(declaresMethod(named("privateGenerateContentStream"))),
            generateContent("generateContentStream", FUTURE),
            AsyncModelsAdvice.GenerateContentStream.class),
        Hook.of("AsyncModels.embedContent(String, List|Content, EmbedContentConfig)",
            named(ASYNC_MODELS).and(declaresMethod(named("privateEmbedContent"))),
            embedContent(FUTURE),
            AsyncModelsAdvice.EmbedContent.class));
  }

  /** {@code name(String, List<Content>, GenerateContentConfig)} returning {@code returnType}. */
  private static ElementMatcher<MethodDescription> generateContent(String name,
      String returnType) {
    return named(name)
        .and(takesArguments(3))
        .and(takesArgument(0, named("java.lang.String")))
        .and(takesArgument(1, named("java.util.List")))
        .and(takesArgument(2, named(GENERATE_CONTENT_CONFIG)))
        .and(returns(named(returnType)));
  }

  /**
   * {@code embedContent(String, List<String>|Content, EmbedContentConfig)}; not the single-text
   * overload, which delegates to the list one.
   */
  private static ElementMatcher<MethodDescription> embedContent(String returnType) {
    ElementMatcher<TypeDescription> contents =
        named("java.util.List").or(named(TYPES + "Content"));
    return named("embedContent")
        .and(takesArguments(3))
        .and(takesArgument(0, named("java.lang.String")))
        .and(takesArgument(1, contents))
        .and(takesArgument(2, named(EMBED_CONTENT_CONFIG)))
        .and(returns(named(returnType)));
  }

  @Override
  public Map<String, ContentRenderer> renderers() {
    GenAiJson json = new GenAiJson();
    return Map.of(
        GENERATE_CONTENT, new GenerateContentRenderer(json),
        GENERATE_CONTENT_STREAM, new GenerateContentStreamRenderer(json),
        EMBED_CONTENT, new EmbedContentRenderer(json));
  }
}
