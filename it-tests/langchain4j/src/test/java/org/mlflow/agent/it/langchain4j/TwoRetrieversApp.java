package org.mlflow.agent.it.langchain4j;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.rag.DefaultRetrievalAugmentor;
import dev.langchain4j.rag.content.retriever.ContentRetriever;
import dev.langchain4j.rag.content.retriever.EmbeddingStoreContentRetriever;
import dev.langchain4j.rag.query.router.DefaultQueryRouter;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;

/**
 * An AI service that retrieves from two stores at once: LangChain4j runs the two retrievals on its
 * retrieval executor's threads.
 */
public final class TwoRetrieversApp {

  public static void main(String[] args) {
    EmbeddingModel embeddings = new AllMiniLmL6V2QuantizedEmbeddingModel();
    ContentRetriever handbook = retriever(embeddings, RagAssistantApp.HANDBOOK.get(0));
    ContentRetriever faq = retriever(embeddings, "Leave requests go through the HR portal.");
    RagAssistantApp.HrAssistant assistant = AiServices.builder(RagAssistantApp.HrAssistant.class)
        .chatModel(OpenAiChatModel.builder().baseUrl(args[0]).apiKey("test-key")
            .modelName(ChatFake.PLAIN_MODEL).build())
        .retrievalAugmentor(DefaultRetrievalAugmentor.builder()
            .queryRouter(new DefaultQueryRouter(handbook, faq)).build())
        .build();
    System.out.println("A: " + assistant.answer(RagAssistantApp.QUESTION));
  }

  private static ContentRetriever retriever(EmbeddingModel embeddings, String text) {
    InMemoryEmbeddingStore<TextSegment> store = new InMemoryEmbeddingStore<>();
    TextSegment segment = TextSegment.from(text);
    store.add(embeddings.embed(segment).content(), segment);
    return EmbeddingStoreContentRetriever.builder().embeddingStore(store)
        .embeddingModel(embeddings).maxResults(1).build();
  }
}
