package org.mlflow.agent.it.openai;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mlflow.agent.it.support.TraceFiles.attribute;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.it.support.ForkedApp;
import org.mlflow.agent.it.support.ForkedApp.Result;
import org.mlflow.agent.it.support.TraceFiles;

/**
 * A provider answering badly (see {@link BadProviderReplies}: cut or malformed JSON, unknown
 * enums, nulls, wrong types, huge and non-UTF-8 bodies, HTML errors, resets, cut streams): the app
 * sees exactly what it sees without the agent, the agent reports no error of its own, and each
 * call is one span that is an error exactly where the call failed.
 */
class BadProviderInputIT {

  private static WireMockServer provider;
  private static List<String> models;
  private static Result with;
  private static Result without;
  private static Map<String, JsonNode> spanByModel;

  @BeforeAll
  static void askEveryBadProvider() throws Exception {
    provider = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    provider.start();
    BadProviderReplies.stubAll(provider);
    models = new ArrayList<>(BadProviderReplies.cases().keySet());
    List<String> args = new ArrayList<>();
    args.add(provider.baseUrl() + "/v1");
    args.addAll(models);
    with = ForkedApp.of(BadInputApp.class).args(args.toArray(String[]::new)).run();
    without = ForkedApp.of(BadInputApp.class).args(args.toArray(String[]::new)).withoutAgent()
        .run();
    spanByModel = new HashMap<>();
    for (JsonNode trace : TraceFiles.read(with.workingDir().resolve("mlflow-traces"))) {
      for (JsonNode span : trace.path("data").path("spans")) {
        JsonNode inputs = attribute(span, "mlflow.spanInputs");
        spanByModel.put(inputs == null ? "?" : inputs.path("model").asText(), span);
      }
    }
  }

  @AfterAll
  static void stop() {
    provider.stop();
  }

  @Test
  void thereAreAtLeastTwentyCases() {
    assertTrue(models.size() >= 20, "cases: " + models);
  }

  @Test
  void theAppSeesTheSameResultsAndExceptionsAsWithoutTheAgent() {
    with.assertCleanRun();
    without.assertCleanRun();
    assertEquals(without.stdout(), with.stdout());
    assertEquals(models.size(), with.stdout().lines().count(), with.stdout());
  }

  @Test
  void theAgentNeverFailsOnBadInput() {
    assertFalse(with.stderr().contains(ForkedApp.AGENT_ERROR), with.stderr());
    assertFalse(with.stderr().contains("advice failed"), with.stderr());
    assertFalse(with.stderr().contains("could not read the content"), with.stderr());
  }

  @Test
  void eachCallIsOneSpanThatIsAnErrorExactlyWhereTheCallFailed() {
    assertEquals(models.size(), spanByModel.size(), "one span per call: " + spanByModel.keySet());
    for (String line : (Iterable<String>) with.stdout().lines()::iterator) {
      String model = line.substring(0, line.indexOf(':'));
      JsonNode span = spanByModel.get(model);
      assertNotNull(span, "a span for " + model);
      String expected = line.contains(": call failed: ") ? "ERROR" : "OK";
      assertEquals(expected, span.path("status").path("code").asText().replace("STATUS_CODE_", ""),
          model + ": " + line + "\n" + span);
    }
  }

  @Test
  void spansRecordWhatTheProviderDidSend() {
    JsonNode noUsage = spanByModel.get("missing-usage");
    assertNull(attribute(noUsage, "mlflow.chat.tokenUsage"), "no usage invented");
    assertEquals("fine", attribute(noUsage, "mlflow.spanOutputs").path("choices").path(0)
        .path("message").path("content").asText());

    JsonNode unknownReason = attribute(spanByModel.get("unknown-finish-reason"),
        "mlflow.spanOutputs");
    assertEquals("melted", unknownReason.path("choices").path(0).path("finish_reason").asText());

    String huge = attribute(spanByModel.get("ten-mb-body"), "mlflow.spanOutputs").asText();
    assertTrue(huge.length() < 1_100_000 && huge.contains("[truncated by mlflow-tracing-agent"),
        "a 10 MB answer is cut to MLFLOW_AGENT_MAX_CONTENT_CHARS");

    JsonNode failed = spanByModel.get("html-500");
    assertEquals("exception", failed.path("events").path(0).path("name").asText(),
        "the provider's failure is recorded: " + failed);
  }
}
