package org.mlflow.agent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.export.JsonCodec;

class ContentPolicyTest {

  @Test
  void contentWithinTheLimitIsKeptAsJson() {
    assertEquals("{\"q\":\"hi\"}", new ContentPolicy(true, 100).apply(Map.of("q", "hi")).json());
  }

  @Test
  void contentOverTheLimitBecomesAStringWithAClearMarker() throws Exception {
    String kept = JsonCodec.mapper().readValue(
        new ContentPolicy(true, 8).apply(Map.of("q", "a long question")).json(), String.class);
    assertEquals("{\"q\":\"a ... [truncated by mlflow-tracing-agent: 8 of 23 chars]", kept);
  }

  @Test
  void contentCaptureOffKeepsNothing() {
    assertNull(new ContentPolicy(false, 100).apply(Map.of("q", "hi")));
  }

  private static final Pattern PII =
      Pattern.compile("[\\w.+-]+@[\\w-]+\\.[\\w.]+|\\b\\d{3}-\\d{2}-\\d{4}\\b");

  @Test
  void redactionPatternsReplaceEveryMatchInStringValuesAndKeepTheJsonValid() {
    ContentPolicy policy = new ContentPolicy(true, 1000, PII);
    Map<String, Object> request = Map.of("messages", List.of(Map.of("role", "user",
        "content", "Mail ann@example.com or bob@example.org, SSN 123-45-6789, \"quoted\"")),
        "n", 1.10);
    assertEquals("{\"messages\":[{\"content\":\"Mail [REDACTED] or [REDACTED], SSN [REDACTED],"
            + " \\\"quoted\\\"\",\"role\":\"user\"}],\"n\":1.1}",
        sorted(policy.apply(request).json()));
  }

  @Test
  void contentWithoutAMatchIsKeptAsItWas() {
    assertEquals("{\"q\":\"hi\"}", new ContentPolicy(true, 100, PII).apply(Map.of("q", "hi")).json());
  }

  @Test
  void redactionComesBeforeTheCutSoNoHalfMatchSurvives() throws Exception {
    String kept = JsonCodec.mapper().readValue(new ContentPolicy(true, 12, PII)
        .apply(Map.of("q", "ann@example.com")).json(), String.class);
    assertEquals("{\"q\":\"[REDAC... [truncated by mlflow-tracing-agent: 12 of 18 chars]", kept);
  }

  @Test
  void credentialsAreRedactedWithoutAnyUserPatternAndBeforeTheUsersPatterns() {
    ContentPolicy policy = new ContentPolicy(true, 1000, Pattern.compile("SECRET-\\d+"),
        KnownSecrets.pattern(List.of("sk-SECRET-0123456789")));
    assertEquals("{\"q\":\"key [REDACTED], code [REDACTED]\"}",
        policy.apply(Map.of("q", "key sk-SECRET-0123456789, code SECRET-7")).json());
    assertEquals("{\"q\":\"key [REDACTED]\"}", new ContentPolicy(true, 1000, null,
        KnownSecrets.pattern(List.of("sk-SECRET-0123456789")))
        .apply(Map.of("q", "key sk-SECRET-0123456789")).json());
  }

  @Test
  void anErrorsTextIsRedactedEvenWhenContentIsNotCaptured() {
    ContentPolicy policy = new ContentPolicy(false, 10, PII,
        KnownSecrets.pattern(List.of("sk-SECRET-0123456789")));
    assertEquals("401: key [REDACTED] of [REDACTED], kept whole past the size limit",
        policy.redactText("401: key sk-SECRET-0123456789 of ann@example.com, kept whole past the"
            + " size limit"));
    assertNull(policy.redactText(null));
    assertEquals("as it was", ContentPolicy.keepAll().redactText("as it was"));
  }

  /** The JSON with its object keys in order, so the assertion does not hang on map order. */
  private static String sorted(String json) {
    try {
      return JsonCodec.mapper().copy()
          .configure(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
          .writeValueAsString(JsonCodec.mapper().readValue(json, java.util.TreeMap.class));
    } catch (Exception invalid) {
      throw new AssertionError("not JSON: " + json, invalid);
    }
  }
}
