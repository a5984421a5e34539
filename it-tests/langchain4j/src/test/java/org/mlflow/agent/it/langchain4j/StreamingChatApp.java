package org.mlflow.agent.it.langchain4j;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.util.concurrent.CompletableFuture;

/**
 * A streamed chat call (the handler runs on the HTTP client's thread), a streamed one and a plain
 * one the server refuses, against the OpenAI-compatible URL given.
 */
public final class StreamingChatApp {

  public static void main(String[] args) throws Exception {
    OpenAiStreamingChatModel streaming = OpenAiStreamingChatModel.builder().baseUrl(args[0])
        .apiKey("test-key").modelName(ChatFake.MODEL).build();
    CompletableFuture<ChatResponse> done = new CompletableFuture<>();
    StringBuilder printed = new StringBuilder();
    streaming.chat(ChatRequest.builder().messages(UserMessage.from("How much leave is left?"))
        .build(), new StreamingChatResponseHandler() {
          @Override
          public void onPartialResponse(String partialResponse) {
            printed.append('[').append(partialResponse).append(']');
          }

          @Override
          public void onCompleteResponse(ChatResponse response) {
            done.complete(response);
          }

          @Override
          public void onError(Throwable error) {
            done.completeExceptionally(error);
          }
        });
    ChatResponse response = done.get();
    System.out.println("streamed: " + printed);
    System.out.println("complete: " + response.aiMessage().text());

    CompletableFuture<Throwable> streamFailure = new CompletableFuture<>();
    OpenAiStreamingChatModel.builder().baseUrl(args[0]).apiKey("test-key")
        .modelName(ChatFake.REJECTED_MODEL).build()
        .chat(ChatRequest.builder().messages(UserMessage.from("Hello?")).build(),
            new StreamingChatResponseHandler() {
              @Override
              public void onPartialResponse(String partialResponse) {}

              @Override
              public void onCompleteResponse(ChatResponse response) {
                streamFailure.complete(null);
              }

              @Override
              public void onError(Throwable error) {
                streamFailure.complete(error);
              }
            });
    System.out.println("stream refused: " + streamFailure.get().getClass().getSimpleName());

    OpenAiChatModel refused = OpenAiChatModel.builder().baseUrl(args[0]).apiKey("test-key")
        .modelName(ChatFake.REJECTED_MODEL).maxRetries(0).build();
    try {
      refused.chat("Hello?");
    } catch (RuntimeException error) {
      System.out.println("refused: " + error.getClass().getSimpleName());
    }
  }
}
