package org.mlflow.agent.it.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;

/** A WireMock OpenAI on 127.0.0.1: chat completions that answer, and one model that is refused. */
public final class OpenAiFake implements AutoCloseable {

  public static final String ANSWER = "MLflow is an open source platform for the ML lifecycle.";
  public static final String SERVED_MODEL = "gpt-4o-mini-2024-07-18";
  public static final int PROMPT_TOKENS = 21;
  public static final int COMPLETION_TOKENS = 12;
  public static final int TOTAL_TOKENS = 33;
  public static final String REFUSAL = "Incorrect API key provided";

  public static final String COMPLETION_JSON = "{\"id\":\"chatcmpl-fake-1\",\"object\":\"chat.completion\","
      + "\"created\":1732300000,\"model\":\"" + SERVED_MODEL + "\",\"choices\":[{\"index\":0,"
      + "\"message\":{\"role\":\"assistant\",\"content\":\"" + ANSWER + "\",\"refusal\":null},"
      + "\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":"
      + PROMPT_TOKENS + ",\"completion_tokens\":" + COMPLETION_TOKENS + ",\"total_tokens\":"
      + TOTAL_TOKENS + "},\"system_fingerprint\":\"fp_fake\"}";

  private final WireMockServer server;

  public OpenAiFake() {
    server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    server.start();
    server.stubFor(post(urlEqualTo("/v1/chat/completions"))
        .withRequestBody(matchingJsonPath("$.model", com.github.tomakehurst.wiremock.client.WireMock
            .equalTo(OpenAiChatApp.MODEL)))
        .willReturn(aResponse().withStatus(200)
            .withHeader("Content-Type", "application/json")
            .withBody(COMPLETION_JSON)));
    server.stubFor(post(urlEqualTo("/v1/chat/completions"))
        .withRequestBody(matchingJsonPath("$.model", com.github.tomakehurst.wiremock.client.WireMock
            .equalTo(OpenAiChatApp.REJECTED_MODEL)))
        .willReturn(aResponse().withStatus(401)
            .withHeader("Content-Type", "application/json")
            .withBody("{\"error\":{\"message\":\"" + REFUSAL + "\",\"type\":"
                + "\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}")));
  }

  public String baseUrl() {
    return server.baseUrl() + "/v1";
  }

  public WireMockServer server() {
    return server;
  }

  @Override
  public void close() {
    server.stop();
  }
}
