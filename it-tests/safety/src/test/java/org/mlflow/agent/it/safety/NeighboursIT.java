package org.mlflow.agent.it.safety;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mlflow.agent.it.support.TraceFiles.attribute;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.File;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.agent.it.support.ForkedApp;
import org.mlflow.agent.it.support.ForkedApp.Result;
import org.mlflow.agent.it.support.TraceFiles;

/**
 * The agent living with other code: apps with their own (older or newer) Jackson, OkHttp, Kotlin
 * and Byte Buddy, and the OpenTelemetry Java agent attached before or after ours. The apps work
 * as without the agent, and our spans are the same as when we are alone.
 *
 * <p>Each app runs without the agent once: the ChatApp's baseline is shared by every test that runs
 * it (on a class path or in a Spring Boot jar), and the old-libraries app's exact output is
 * asserted, so a second run without the agent would prove nothing more.
 */
class NeighboursIT {

  private static final Path NEIGHBOURS = Paths.get(System.getProperty("neighbours.dir"));
  private static final String OTEL_AGENT =
      "-javaagent:" + NEIGHBOURS.resolve("opentelemetry-javaagent.jar");

  private static WireMockServer openai;
  /** The ChatApp with our agent alone (and its spans, read at once), and without any agent. */
  private static Result alone;
  private static List<List<String>> aloneSpans;
  private static Result withoutAgent;

  @BeforeAll
  static void startFakeAndRunAlone() throws Exception {
    openai = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    openai.start();
    openai.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse()
        .withStatus(200).withHeader("Content-Type", "application/json")
        .withBody(CannedHttpClient.COMPLETION)));
    openai.stubFor(get(urlEqualTo("/v1/models")).willReturn(aResponse()
        .withStatus(200).withHeader("Content-Type", "application/json")
        .withBody("{\"object\":\"list\",\"data\":[{\"id\":\"gpt-4o-mini\"},{\"id\":\"o1\"}]}")));
    alone = ForkedApp.of(ChatApp.class).args(baseUrl()).run().assertCleanRun();
    aloneSpans = spans(alone);
    withoutAgent = ForkedApp.of(ChatApp.class).args(baseUrl()).withoutAgent().run()
        .assertCleanRun();
  }

  @AfterAll
  static void stopFake() {
    openai.stop();
  }

  @Test
  void anAppWithItsOwnByteBuddyJacksonOkHttpAndKotlinWorksAndIsTraced() throws Exception {
    assertEquals(withoutAgent.stdout(), alone.stdout());
    assertTrue(alone.stdout().startsWith("made by the app's Byte Buddy; jackson 2.18."),
        alone.stdout());
    assertEquals(2, aloneSpans.size(), "one trace per call");
    assertEquals(List.of("Completions", "STATUS_CODE_OK", "What is MLflow?", "ok", "4"),
        aloneSpans.get(0));
  }

  @Test
  void anAppOnOkHttp3Jackson213AndKotlin18RunsAsWithoutTheAgent() throws Exception {
    String classpath = System.getProperty("app.classpath").split(File.pathSeparator)[0];
    for (String jar : List.of("okhttp.jar", "okio.jar", "jackson-databind.jar", "jackson-core.jar",
        "jackson-annotations.jar", "kotlin-stdlib.jar")) {
      classpath += File.pathSeparator + NEIGHBOURS.resolve(jar);
    }
    String url = openai.baseUrl() + "/v1/models";
    Result with = ForkedApp.of(OldLibrariesApp.class).classpath(classpath).args(url).run()
        .assertCleanRun();
    // Exactly what the app prints on its own: its libraries' versions and the server's answer.
    assertEquals("okhttp/3.14.9, jackson 2.13.4-2, kotlin 1.8.0\n200: 2 models, first gpt-4o-mini\n",
        with.stdout());
  }

  @Test
  void aSpringBootExecutableJarIsTracedAsTheSameAppOnAClassPath(@TempDir Path folder)
      throws Exception {
    // The jar is about 90 MB (the OpenAI SDK): built in a folder JUnit deletes afterwards.
    String classpath = System.getProperty("app.classpath");
    Path jar = BootJar.build(folder.resolve("boot-app.jar"),
        NEIGHBOURS.resolve("spring-boot-loader.jar"),
        Paths.get(classpath.split(File.pathSeparator)[0]), BootJar.jarsOf(classpath),
        ChatApp.class.getName());
    Result boot = ForkedApp.ofJar(jar).args(baseUrl()).run().assertCleanRun();
    assertEquals(withoutAgent.stdout(), boot.stdout());
    assertEquals(aloneSpans, spans(boot));
  }

  @Test
  void theOpenTelemetryAgentAttachedFirstLeavesOurSpansAsTheyAre() throws Exception {
    Result both = ForkedApp.of(ChatApp.class).args(baseUrl()).withoutAgent()
        .jvmOption(OTEL_AGENT).jvmOption("-javaagent:" + ForkedApp.agentJar())
        .env("OTEL_TRACES_EXPORTER", "none").env("OTEL_METRICS_EXPORTER", "none")
        .env("OTEL_LOGS_EXPORTER", "none")
        .run().assertCleanRun();
    assertSameAsAlone(both);
  }

  @Test
  void theOpenTelemetryAgentAttachedAfterLeavesOurSpansAsTheyAre() throws Exception {
    Result both = ForkedApp.of(ChatApp.class).args(baseUrl()).jvmOption(OTEL_AGENT)
        .env("OTEL_TRACES_EXPORTER", "none").env("OTEL_METRICS_EXPORTER", "none")
        .env("OTEL_LOGS_EXPORTER", "none")
        .run().assertCleanRun();
    assertSameAsAlone(both);
  }

  private static void assertSameAsAlone(Result both) throws Exception {
    assertTrue(both.stderr().contains("opentelemetry-javaagent - version: "),
        "the OpenTelemetry agent ran: " + both.stderr());
    assertEquals(alone.stdout(), both.stdout());
    assertEquals(aloneSpans, spans(both));
  }

  /** Per trace, in order: the span's name, status, question, answer and total tokens. */
  private static List<List<String>> spans(Result run) throws Exception {
    List<List<String>> spans = new ArrayList<>();
    for (JsonNode trace : TraceFiles.read(run.workingDir().resolve("mlflow-traces"))) {
      assertEquals(1, trace.path("data").path("spans").size(), trace.toString());
      JsonNode span = trace.path("data").path("spans").path(0);
      spans.add(List.of(span.path("name").asText(), span.path("status").path("code").asText(),
          attribute(span, "mlflow.spanInputs").path("messages").path(0).path("content").asText(),
          attribute(span, "mlflow.spanOutputs").path("choices").path(0).path("message")
              .path("content").asText(),
          attribute(span, "mlflow.chat.tokenUsage").path("total_tokens").asText()));
    }
    return spans;
  }

  private static String baseUrl() {
    return openai.baseUrl() + "/v1";
  }
}
