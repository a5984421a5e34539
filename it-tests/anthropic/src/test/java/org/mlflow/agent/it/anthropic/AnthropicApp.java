package org.mlflow.agent.it.anthropic;

import org.mlflow.agent.it.support.TestSecrets;
import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.AsyncStreamResponse;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.Tool;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A plain Anthropic SDK app with no tracing code. It makes the calls named by its arguments, one
 * after the other, and prints everything it gets (each message and stream event in full, each
 * exception): its output must be the same with and without the agent.
 *
 * <p>Arguments: the Anthropic base URL (a WireMock fake on 127.0.0.1), then call names.
 */
public final class AnthropicApp {

  /** Never to be seen in a trace or a log line. */
  public static final String API_KEY = TestSecrets.ANTHROPIC_API_KEY;
  public static final String QUESTION = "What is the weather in Paris?";
  public static final int EVENTS_READ_BEFORE_CLOSING = 3;

  private final AnthropicClient client;

  private AnthropicApp(AnthropicClient client) {
    this.client = client;
  }

  public static void main(String[] args) {
    // Which SDK the class path holds: the suite runs against more than one version.
    String jar = AnthropicClient.class.getProtectionDomain().getCodeSource().getLocation().getPath();
    System.out.println("sdk: " + jar.substring(jar.lastIndexOf('/') + 1));
    AnthropicClient client = AnthropicOkHttpClient.builder()
        .baseUrl(args[0])
        .apiKey(API_KEY)
        .maxRetries(0)
        .build();
    AnthropicApp app = new AnthropicApp(client);
    for (int i = 1; i < args.length; i++) {
      System.out.println("== " + args[i]);
      app.call(args[i]);
    }
    client.close();
  }

  private void call(String name) {
    try {
      switch (name) {
        case "create":
          print(client.messages().create(params(AnthropicFake.MODEL)));
          break;
        case "create-unauthorized":
          print(client.messages().create(params(AnthropicFake.REJECTED_MODEL)));
          break;
        case "create-overloaded":
          print(client.messages().create(params(AnthropicFake.OVERLOADED_MODEL)));
          break;
        case "async-create":
          print(client.async().messages().create(params(AnthropicFake.MODEL)).join());
          break;
        case "async-create-overloaded":
          print(client.async().messages().create(params(AnthropicFake.OVERLOADED_MODEL)).join());
          break;
        case "stream":
          readStream(AnthropicFake.MODEL, Long.MAX_VALUE);
          break;
        case "stream-closed-early":
          readStream(AnthropicFake.MODEL, EVENTS_READ_BEFORE_CLOSING);
          break;
        case "stream-cut":
          readStream(AnthropicFake.CUT_STREAM_MODEL, Long.MAX_VALUE);
          break;
        case "stream-error-event":
          readStream(AnthropicFake.FAILING_STREAM_MODEL, Long.MAX_VALUE);
          break;
        case "stream-unauthorized":
          readStream(AnthropicFake.REJECTED_MODEL, Long.MAX_VALUE);
          break;
        case "async-stream":
          subscribe(AnthropicFake.MODEL);
          break;
        case "async-stream-overloaded":
          subscribe(AnthropicFake.OVERLOADED_MODEL);
          break;
        default:
          throw new IllegalArgumentException("no call named " + name);
      }
    } catch (CompletionException failure) {
      System.out.println("failed (future): " + describe(failure.getCause()));
    } catch (RuntimeException failure) {
      System.out.println("failed: " + describe(failure));
    }
  }

  static MessageCreateParams params(String model) {
    return MessageCreateParams.builder()
        .model(model)
        .maxTokens(1024)
        .system("You are a terse assistant.")
        .addUserMessage(QUESTION)
        .addTool(Tool.builder()
            .name("get_weather")
            .description("The current weather of a city")
            .inputSchema(Tool.InputSchema.builder()
                .properties(JsonValue.from(Map.of("city", Map.of("type", "string"))))
                .addRequired("city")
                .build())
            .build())
        .build();
  }

  /** Reads up to {@code limit} events, then closes the stream, as a try-with-resources does. */
  private void readStream(String model, long limit) {
    MessageAccumulator accumulator = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> response =
        client.messages().createStreaming(params(model))) {
      response.stream().limit(limit).forEach(event -> {
        System.out.println("event: " + event);
        accumulator.accumulate(event);
      });
    }
    if (limit == Long.MAX_VALUE) {
      print(accumulator.message());
    }
  }

  private void subscribe(String model) {
    MessageAccumulator accumulator = MessageAccumulator.create();
    CompletableFuture<Void> handled = new CompletableFuture<>();
    AsyncStreamResponse<RawMessageStreamEvent> response =
        client.async().messages().createStreaming(params(model));
    response.subscribe(new AsyncStreamResponse.Handler<RawMessageStreamEvent>() {
      @Override
      public void onNext(RawMessageStreamEvent event) {
        System.out.println("event: " + event);
        accumulator.accumulate(event);
      }

      @Override
      public void onComplete(Optional<Throwable> error) {
        System.out.println("completed: " + error.map(AnthropicApp::describe).orElse("ok"));
        handled.complete(null);
      }
    });
    // On a failed request the SDK fails onCompleteFuture() before it calls the handler: waiting
    // for the handler too keeps this app's output in one order.
    handled.join();
    response.onCompleteFuture().join();
    print(accumulator.message());
  }

  private static void print(Message message) {
    System.out.println("message: " + message);
  }

  private static String describe(Throwable failure) {
    return failure.getClass().getName() + ": " + failure.getMessage();
  }
}
