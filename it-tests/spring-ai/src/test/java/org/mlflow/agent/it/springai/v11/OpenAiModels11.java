package org.mlflow.agent.it.springai.v11;

import java.util.List;
import org.mlflow.agent.it.springai.SpringAiModels;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.document.MetadataMode;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.ai.openai.OpenAiEmbeddingModel;
import org.springframework.ai.openai.OpenAiEmbeddingOptions;
import org.springframework.ai.openai.api.OpenAiApi;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.retry.support.RetryTemplate;

/** Spring AI 1.1: the models sit on Spring AI's own OpenAiApi (RestClient and WebClient). */
public final class OpenAiModels11 implements SpringAiModels {

  private static final RetryTemplate NO_RETRIES = RetryTemplate.builder().maxAttempts(1).build();

  @Override
  public ChatModel chat(String baseUrl, String model) {
    return OpenAiChatModel.builder()
        .openAiApi(api(baseUrl))
        .defaultOptions(OpenAiChatOptions.builder().model(model).build())
        .retryTemplate(NO_RETRIES)
        .build();
  }

  @Override
  public EmbeddingModel embedding(String baseUrl, String model) {
    return new OpenAiEmbeddingModel(api(baseUrl), MetadataMode.EMBED,
        OpenAiEmbeddingOptions.builder().model(model).build(), NO_RETRIES);
  }

  @Override
  public ChatOptions options(String model, List<ToolCallback> tools) {
    return OpenAiChatOptions.builder().model(model).toolCallbacks(tools).streamUsage(true)
        .build();
  }

  private static OpenAiApi api(String baseUrl) {
    return OpenAiApi.builder().baseUrl(baseUrl).apiKey(API_KEY).build();
  }
}
