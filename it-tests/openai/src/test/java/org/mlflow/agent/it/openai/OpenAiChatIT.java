package org.mlflow.agent.it.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mlflow.agent.it.support.TraceFiles.attribute;
import static org.mlflow.agent.it.support.TraceFiles.parseJson;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.it.support.ForkedApp;
import org.mlflow.agent.it.support.ForkedApp.Result;
import org.mlflow.agent.it.support.TraceFiles;

/** The OpenAI SDK app, unchanged, with the agent attached and no setting: the local folder. */
class OpenAiChatIT {

  private static OpenAiFake openai;

  @BeforeAll
  static void startFake() {
    openai = new OpenAiFake();
  }

  @AfterAll
  static void stopFake() {
    openai.close();
  }

  @Test
  void eachChatCallBecomesACompletionsTraceInTheLocalFolder() throws Exception {
    openai.server().resetRequests();
    Result run = ForkedApp.of(OpenAiChatApp.class).args(openai.baseUrl()).run().assertCleanRun();

    Path folder = run.workingDir().resolve("mlflow-traces");
    List<JsonNode> traces = TraceFiles.read(folder);
    assertEquals(3, traces.size(), "one trace per chat call: " + run.stderr());
    List<LoggedRequest> sent = openai.server().findAll(postRequestedFor(urlEqualTo("/v1/chat/completions")));

    JsonNode first = traces.get(0);
    JsonNode info = first.get("info");
    String traceId = info.get("trace_id").asText();
    assertTrue(traceId.matches("tr-[0-9a-f]{32}"), traceId);
    assertTrue(Files.exists(folder.resolve(traceId + ".json")));
    assertEquals("OK", info.get("state").asText());
    assertEquals("0", info.at("/trace_location/mlflow_experiment/experiment_id").asText());
    assertEquals("MLFLOW_EXPERIMENT", info.at("/trace_location/type").asText());
    assertEquals("What is MLflow?", info.get("request_preview").asText());
    assertEquals(OpenAiFake.ANSWER, info.get("response_preview").asText());
    assertEquals("Completions", info.at("/tags/mlflow.traceName").asText());
    assertEquals("3", info.at("/trace_metadata/mlflow.trace_schema.version").asText());
    assertEquals(parseJson("{\"input_tokens\":21,\"output_tokens\":12,\"total_tokens\":33}"),
        parseJson(info.at("/trace_metadata/mlflow.trace.tokenUsage").asText()));
    assertTrue(info.get("request_time").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
    assertTrue(info.get("execution_duration_ms").asLong() >= 0);

    JsonNode spans = first.at("/data/spans");
    assertEquals(1, spans.size());
    JsonNode span = spans.get(0);
    assertEquals("Completions", span.get("name").asText());
    assertTrue(span.get("parent_span_id").isNull());
    assertEquals(traceId.substring(3),
        HexFormat.of().formatHex(Base64.getDecoder().decode(span.get("trace_id").asText())));
    assertEquals(8, Base64.getDecoder().decode(span.get("span_id").asText()).length);
    assertEquals("STATUS_CODE_OK", span.at("/status/code").asText());
    assertTrue(span.get("end_time_unix_nano").asLong() >= span.get("start_time_unix_nano").asLong());
    assertEquals("CHAT_MODEL", attribute(span, "mlflow.spanType").asText());
    assertEquals(traceId, attribute(span, "mlflow.traceRequestId").asText());
    assertEquals("openai", attribute(span, "mlflow.message.format").asText());
    assertEquals("openai", attribute(span, "mlflow.llm.provider").asText());
    assertEquals(OpenAiFake.SERVED_MODEL, attribute(span, "mlflow.llm.model").asText());
    assertEquals(parseJson("{\"input_tokens\":21,\"output_tokens\":12,\"total_tokens\":33}"),
        attribute(span, "mlflow.chat.tokenUsage"));
    // Inputs are exactly the request body the SDK sent; outputs exactly the response it parsed.
    assertEquals(parseJson(sent.get(0).getBodyAsString()), attribute(span, "mlflow.spanInputs"));
    assertEquals(parseJson(OpenAiFake.COMPLETION_JSON), attribute(span, "mlflow.spanOutputs"));

    assertEquals("And what is tracing?", traces.get(1).at("/info/request_preview").asText());
    assertFalse(traces.get(1).at("/info/trace_id").asText().equals(traceId));
  }

  @Test
  void aRejectedCallIsAnErrorTraceAndTheAppGetsTheSameException() throws Exception {
    Result run = ForkedApp.of(OpenAiChatApp.class).args(openai.baseUrl()).run().assertCleanRun();
    JsonNode failed = TraceFiles.read(run.workingDir().resolve("mlflow-traces")).get(2);

    assertEquals("ERROR", failed.at("/info/state").asText());
    assertEquals("This call fails.", failed.at("/info/request_preview").asText());
    JsonNode span = failed.at("/data/spans/0");
    assertEquals("STATUS_CODE_ERROR", span.at("/status/code").asText());
    assertTrue(span.at("/status/message").asText().startsWith("com.openai.errors.UnauthorizedException"),
        span.at("/status/message").asText());
    JsonNode event = span.at("/events/0");
    assertEquals("exception", event.get("name").asText());
    assertEquals("com.openai.errors.UnauthorizedException",
        event.at("/attributes/exception.type").asText());
    assertTrue(event.at("/attributes/exception.message").asText().contains(OpenAiFake.REFUSAL));
    assertTrue(event.at("/attributes/exception.stacktrace").asText()
        .contains("ChatCompletionServiceImpl"));
    assertEquals(OpenAiChatApp.REJECTED_MODEL, attribute(span, "mlflow.spanInputs").get("model").asText());
    assertNull(attribute(span, "mlflow.spanOutputs"));
    assertNull(attribute(span, "mlflow.chat.tokenUsage"));
    assertTrue(run.stdout().contains("error: com.openai.errors.UnauthorizedException: "));
  }

  @Test
  void theAppPrintsExactlyWhatItPrintsWithoutTheAgent() throws Exception {
    Result with = ForkedApp.of(OpenAiChatApp.class).args(openai.baseUrl()).run().assertCleanRun();
    Result without = ForkedApp.of(OpenAiChatApp.class).args(openai.baseUrl()).withoutAgent().run()
        .assertCleanRun();

    assertEquals(without.stdout(), with.stdout());
    assertEquals("", without.stderr());
    // The app keeps its own Jackson and OkHttp, older than the ones shaded into the agent.
    assertTrue(with.stdout().startsWith("jackson-databind 2.18."), with.stdout());
    assertTrue(with.stdout().contains("okhttp 4.12."), with.stdout());
  }

  @Test
  void theApiKeyReachesNeitherATraceNorALogLine() throws Exception {
    Result run = ForkedApp.of(OpenAiChatApp.class).args(openai.baseUrl()).run().assertCleanRun();
    String exported = TraceFiles.allText(run.workingDir().resolve("mlflow-traces"));

    assertFalse(exported.isEmpty());
    for (String secret : List.of(OpenAiChatApp.API_KEY, "Bearer", "Authorization")) {
      assertFalse(exported.contains(secret), secret + " was exported");
      assertFalse(run.stderr().contains(secret), secret + " was logged");
    }
  }

  @Test
  void theStartLineSaysVersionDestinationAndIntegrations() throws Exception {
    Result run = ForkedApp.of(OpenAiChatApp.class).args(openai.baseUrl()).run().assertCleanRun();
    String start = run.agentLines().get(0);

    assertTrue(start.matches("\\[mlflow-agent] mlflow-tracing-agent \\d+\\.\\d+\\.\\d+\\S*: traces go to folder"
        + " .*mlflow-traces; integrations: ([a-z0-9-]+, )*openai(, [a-z0-9-]+)*"), start);
    assertTrue(run.agentLines().stream().anyMatch(line -> line.contains("3 trace(s) written to")),
        run.stderr());
  }
}
