package org.mlflow.agent.it.servlet;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;

/** A WireMock OpenAI on 127.0.0.1 that answers every chat completion with {@link #ANSWER}. */
final class ChatFake implements AutoCloseable {

  static final String ANSWER = "MLflow is an open source platform for the ML lifecycle.";
  static final String SERVED_MODEL = "gpt-4o-mini-2024-07-18";

  static final String COMPLETION_JSON = "{\"id\":\"chatcmpl-fake-1\",\"object\":\"chat.completion\","
      + "\"created\":1732300000,\"model\":\"" + SERVED_MODEL + "\",\"choices\":[{\"index\":0,"
      + "\"message\":{\"role\":\"assistant\",\"content\":\"" + ANSWER + "\",\"refusal\":null},"
      + "\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":21,"
      + "\"completion_tokens\":12,\"total_tokens\":33},\"system_fingerprint\":\"fp_fake\"}";

  private final WireMockServer server;

  ChatFake() {
    server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    server.start();
    server.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse()
        .withHeader("Content-Type", "application/json").withBody(COMPLETION_JSON)));
  }

  String baseUrl() {
    return server.baseUrl() + "/v1";
  }

  @Override
  public void close() {
    server.stop();
  }
}
