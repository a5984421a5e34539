package org.mlflow.agent.it.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a broken or hostile provider can answer, one case per model name: the bad-input tests ask
 * each model once, with and without the agent. Cases whose name starts with {@code stream-} are
 * asked with {@code createStreaming}.
 */
final class BadProviderReplies {

  static final int TEN_MB = 10 * 1024 * 1024;

  private static final String MESSAGE = "{\"role\":\"assistant\",\"content\":\"fine\",\"refusal\":null}";
  private static final String USAGE = "{\"prompt_tokens\":5,\"completion_tokens\":2,\"total_tokens\":7}";
  private static final String GOOD = FakeReplies.completion("chatcmpl-bad", MESSAGE, "stop", USAGE);

  /** Case name (the model asked) to the fake's answer. */
  static Map<String, ResponseDefinitionBuilder> cases() {
    Map<String, ResponseDefinitionBuilder> cases = new LinkedHashMap<>();
    cases.put("truncated-json", json(GOOD.substring(0, GOOD.length() / 2)));
    cases.put("missing-usage", json(GOOD.replace(",\"usage\":" + USAGE, "")));
    cases.put("null-usage", json(GOOD.replace(USAGE, "null")));
    cases.put("unknown-finish-reason", json(GOOD.replace("\"stop\"", "\"melted\"")));
    cases.put("unknown-role", json(GOOD.replace("\"assistant\"", "\"oracle\"")));
    cases.put("empty-choices", json(GOOD.replaceFirst("\\[\\{\"index\".*\\}\\],\"usage\"",
        "[],\"usage\"")));
    cases.put("null-fields", json(FakeReplies.completion("chatcmpl-bad",
        "{\"role\":\"assistant\",\"content\":null,\"refusal\":null}", "stop",
        "{\"prompt_tokens\":null,\"completion_tokens\":null,\"total_tokens\":null}")));
    cases.put("unexpected-types", json(GOOD.replace("\"created\":1732300000",
        "\"created\":\"yesterday\"").replace("\"total_tokens\":7", "\"total_tokens\":\"seven\"")));
    cases.put("choices-not-a-list", json(GOOD.replaceFirst("\\[\\{\"index\".*\\}\\],\"usage\"",
        "\"none\",\"usage\"")));
    cases.put("negative-usage", json(GOOD.replace("\"prompt_tokens\":5", "\"prompt_tokens\":-5")));
    cases.put("unknown-fields", json(GOOD.replace("\"object\"",
        "\"surprise\":{\"nested\":[1,{\"deeper\":true}]},\"object\"")));
    cases.put("ten-mb-body", json(FakeReplies.completion("chatcmpl-big",
        "{\"role\":\"assistant\",\"content\":\"" + "x".repeat(TEN_MB) + "\",\"refusal\":null}",
        "stop", USAGE)));
    cases.put("invalid-utf8", aResponse().withStatus(200)
        .withHeader("Content-Type", "application/json")
        .withBody(invalidUtf8(GOOD.replace("fine", "fi@@ne"))));
    cases.put("deep-nesting", json(GOOD.replace("\"object\"",
        "\"deep\":" + "[".repeat(5000) + "]".repeat(5000) + ",\"object\"")));
    cases.put("json-array-body", json("[]"));
    cases.put("json-null-body", json("null"));
    cases.put("empty-body", json(""));
    cases.put("html-500", aResponse().withStatus(500).withHeader("Content-Type", "text/html")
        .withBody("<html><body><h1>500 Internal Server Error</h1></body></html>"));
    cases.put("503-no-body", aResponse().withStatus(503));
    cases.put("429-json-error", aResponse().withStatus(429)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"rate_limit\"}}"));
    cases.put("wrong-content-type", aResponse().withStatus(200)
        .withHeader("Content-Type", "text/plain").withBody(GOOD));
    cases.put("connection-reset", aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
    cases.put("malformed-chunk", aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK));
    cases.put("stream-cut-mid-event", events(FakeReplies.events(List.of(FakeReplies.FIRST_CHUNK))
        + "data: {\"id\":\"" + FakeReplies.STREAM_ID + "\",\"choices\":[{\"delta\":{\"content\":\"Hel"));
    cases.put("stream-malformed-event", events(FakeReplies.events(List.of(FakeReplies.FIRST_CHUNK))
        + "data: {not json}\n\n"));
    cases.put("stream-no-done", events(FakeReplies.events(List.of(FakeReplies.FIRST_CHUNK,
        FakeReplies.chunk("{\"content\":\"Hi\"}", "\"stop\"")))));
    cases.put("stream-unknown-finish-reason", events(FakeReplies.stream(List.of(
        FakeReplies.FIRST_CHUNK, FakeReplies.chunk("{\"content\":\"Hi\"}", "\"melted\"")))));
    cases.put("stream-empty-choices", events(FakeReplies.stream(List.of(FakeReplies.FIRST_CHUNK,
        FakeReplies.USAGE_CHUNK))));
    cases.put("stream-error-event", events(FakeReplies.OVERLOADED_STREAM));
    cases.put("stream-json-body", json(GOOD));
    return cases;
  }

  static void stubAll(WireMockServer server) {
    cases().forEach((model, reply) -> server.stubFor(post(urlEqualTo("/v1/chat/completions"))
        .withRequestBody(matchingJsonPath("$.model", equalTo(model)))
        .willReturn(reply)));
  }

  private static ResponseDefinitionBuilder json(String body) {
    return aResponse().withStatus(200).withHeader("Content-Type", "application/json")
        .withBody(body);
  }

  private static ResponseDefinitionBuilder events(String body) {
    return aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream")
        .withBody(body);
  }

  /** The text as UTF-8 with its "@@" replaced by bytes that are not UTF-8. */
  private static byte[] invalidUtf8(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    String marked = new String(bytes, StandardCharsets.ISO_8859_1).replace("@@", "\u00ff\u00c3");
    return marked.getBytes(StandardCharsets.ISO_8859_1);
  }

  private BadProviderReplies() {}
}
