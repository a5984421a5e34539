package org.mlflow.agent.it.springai.v20;

import java.util.List;
import org.mlflow.agent.it.springai.SpringAiModels;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.ai.openai.OpenAiEmbeddingModel;
import org.springframework.ai.openai.OpenAiEmbeddingOptions;
import org.springframework.ai.tool.ToolCallback;

/** Spring AI 2.0: the models sit on openai-java; the options carry the endpoint. */
public final class OpenAiModels20 implements SpringAiModels {

  @Override
  public ChatModel chat(String baseUrl, String model) {
    return OpenAiChatModel.builder()
        .options(OpenAiChatOptions.builder().baseUrl(baseUrl + "/v1").apiKey(API_KEY).model(model)
            .maxRetries(0).build())
        .build();
  }

  @Override
  public EmbeddingModel embedding(String baseUrl, String model) {
    return OpenAiEmbeddingModel.builder()
        .options(OpenAiEmbeddingOptions.builder().baseUrl(baseUrl + "/v1").apiKey(API_KEY)
            .model(model).maxRetries(0).build())
        .build();
  }

  @Override
  public ChatOptions options(String model, List<ToolCallback> tools) {
    return OpenAiChatOptions.builder().model(model).toolCallbacks(tools).streamUsage(true)
        .build();
  }
}
