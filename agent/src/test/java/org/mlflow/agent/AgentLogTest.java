package org.mlflow.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AgentLogTest {

  private final PrintStream stderr = System.err;

  @AfterEach
  void restore() {
    System.setErr(stderr);
    AgentLog.neverPrint(null);
  }

  @Test
  void noLinePrintsACredentialWhateverMessageOrCauseCarriesIt() {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    System.setErr(new PrintStream(printed, true, StandardCharsets.UTF_8));
    AgentLog.neverPrint(Pattern.compile(Pattern.quote("mlflow-token-SECRET-42")));

    AgentLog.info("token mlflow-token-SECRET-42");
    AgentLog.warn("token mlflow-token-SECRET-42");
    AgentLog.warnOnce("AgentLogTest", "the server said",
        new IllegalStateException("HTTP 401: bad token mlflow-token-SECRET-42"));

    assertEquals("[mlflow-agent] token [REDACTED]\n"
            + "[mlflow-agent] WARN token [REDACTED]\n"
            + "[mlflow-agent] WARN the server said: java.lang.IllegalStateException: HTTP 401:"
            + " bad token [REDACTED] (further occurrences are counted, not printed)\n",
        printed.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
  }
}
