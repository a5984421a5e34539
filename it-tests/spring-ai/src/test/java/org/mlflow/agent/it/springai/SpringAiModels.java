package org.mlflow.agent.it.springai;

import java.util.List;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.tool.ToolCallback;

/**
 * Builds Spring AI's OpenAI models against the fake, without Spring Boot. How differs between
 * Spring AI 1.1 and 2.0; the build compiles the one for the version under test.
 */
public interface SpringAiModels {

  String API_KEY = "sk-spring-ai-test-key";

  /** A chat model of {@code model}, which does not retry. */
  ChatModel chat(String baseUrl, String model);

  EmbeddingModel embedding(String baseUrl, String model);

  /** Options asking for {@code model} with {@code tools}, and for usage in streams. */
  ChatOptions options(String model, List<ToolCallback> tools);

  static SpringAiModels forVersionUnderTest() throws ReflectiveOperationException {
    for (String factory : List.of("v20.OpenAiModels20", "v11.OpenAiModels11")) {
      try {
        return (SpringAiModels) Class.forName(SpringAiModels.class.getPackageName() + "."
            + factory).getConstructor().newInstance();
      } catch (ClassNotFoundException notThisVersion) {
        // the other version's factory
      }
    }
    throw new ClassNotFoundException("no Spring AI model factory compiled");
  }
}
