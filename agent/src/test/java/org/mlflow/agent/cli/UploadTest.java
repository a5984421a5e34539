package org.mlflow.agent.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UploadTest {

  private static final String TOKEN = "mlflow-token-SECRET-42";

  @TempDir
  Path folder;

  private WireMockServer server;

  @BeforeEach
  void start() {
    server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    server.start();
    System.setProperty("mlflow.tracking.uri", server.baseUrl());
    System.setProperty("mlflow.tracking.token", TOKEN);
  }

  @AfterEach
  void stop() {
    System.clearProperty("mlflow.tracking.uri");
    System.clearProperty("mlflow.tracking.token");
    server.stop();
  }

  @Test
  void aRefusalQuotingTheTokenIsOneLineWithoutIt() throws Exception {
    server.stubFor(get(urlPathEqualTo("/api/2.0/mlflow/experiments/get"))
        .willReturn(okJson("{\"experiment\":{\"experiment_id\":\"0\","
            + "\"artifact_location\":\"mlflow-artifacts:/0\"}}")));
    server.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().withStatus(401)
        .withBody("<html>\n<body>Bad token " + TOKEN + "</body>\n</html>")));
    String traceId = "tr-00000000000000000000000000000001";
    Files.writeString(folder.resolve(traceId + ".json"), "{\"info\":{\"trace_id\":\"" + traceId
        + "\",\"state\":\"OK\"},\"data\":{\"spans\":[]}}");

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertEquals(1, AgentCli.run(new String[] {"upload", folder.toString()},
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8)));

    String said = err.toString(StandardCharsets.UTF_8);
    assertTrue(said.startsWith("not uploaded " + traceId + ".json: upload traces.json answered"
        + " HTTP 401: <html>\\u000a<body>Bad token [REDACTED]</body>"), said);
    assertEquals(1, said.split(System.lineSeparator()).length, said);
    assertTrue(Files.exists(folder.resolve(traceId + ".json")), "kept for another try");
  }
}
