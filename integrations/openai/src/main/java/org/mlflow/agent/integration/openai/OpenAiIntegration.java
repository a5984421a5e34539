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

/** The OpenAI Java SDK ({@code com.openai:openai-java} 4.x). */
public final class OpenAiIntegration implements Integration {

  static final String CHAT_COMPLETION_CONTENT = "openai.chat.completion";

  @Override
  public String name() {
    return "openai";
  }

  @Override
  public List<Hook> hooks() {
    // The blocking service implementation: every create() overload, including structured
    // outputs and withOptions() copies, ends in this one method, so each call is one span.
    return List.of(
        Hook.of(
            "ChatCompletionServiceImpl.create(ChatCompletionCreateParams, RequestOptions)",
            named("com.openai.services.blocking.chat.ChatCompletionServiceImpl"),
            named("create")
                .and(takesArguments(2))
                .and(takesArgument(0,
                    named("com.openai.models.chat.completions.ChatCompletionCreateParams")))
                .and(takesArgument(1, named("com.openai.core.RequestOptions")))
                .and(returns(named("com.openai.models.chat.completions.ChatCompletion"))),
            ChatCompletionAdvice.class));
  }

  @Override
  public Map<String, ContentRenderer> renderers() {
    return Map.of(CHAT_COMPLETION_CONTENT, new ChatCompletionRenderer());
  }
}
