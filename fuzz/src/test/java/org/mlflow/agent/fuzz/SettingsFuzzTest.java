package org.mlflow.agent.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.mlflow.agent.config.AgentConfig;
import org.mlflow.agent.config.SettingSource;

/**
 * Any environment, however broken: loading the settings never throws, each problem is one line
 * that names a variable the user set, no variable gets two lines, and a password or token never
 * appears in them.
 */
class SettingsFuzzTest {

  private static final List<String> INTEGRATIONS = List.of("openai", "google-genai");

  @FuzzTest(maxDuration = "30s")
  void anyEnvironmentLoads(FuzzedDataProvider data) {
    Map<String, String> environment = new HashMap<>();
    for (String variable : variables()) {
      if (data.consumeBoolean()) {
        environment.put(variable, data.consumeString(40));
      }
    }

    AgentConfig config = AgentConfig.load(new SettingSource(environment, new Properties()),
        INTEGRATIONS);

    List<String> named = new ArrayList<>();
    for (String problem : config.problems()) {
      assertFalse(problem.contains("\n") || problem.contains("\r"),
          () -> "a problem is more than one line: " + problem);
      int equals = problem.indexOf('=');
      int space = problem.indexOf(' ');
      if (equals < 0 || (space >= 0 && space < equals)) {
        // A line about settings that go together ("A and B go together ..."): it names one of
        // them, and at least one of those the user set.
        assertTrue(variables().stream()
                .anyMatch(set -> environment.containsKey(set) && problem.contains(set)),
            () -> "the line names a variable that was set: " + problem);
        continue;
      }
      String variable = problem.substring(0, equals);
      assertTrue(environment.containsKey(variable),
          () -> "the line names a variable that was set: " + problem);
      assertFalse(named.contains(variable), () -> "two lines for " + variable);
      named.add(variable);
    }
    for (String secret : List.of("MLFLOW_TRACKING_PASSWORD", "MLFLOW_TRACKING_TOKEN")) {
      String value = environment.get(secret);
      // A secret that is also part of another variable's value may rightly appear quoted there.
      boolean alsoElsewhere = value != null && environment.entrySet().stream()
          .anyMatch(e -> !e.getKey().equals(secret) && e.getValue().contains(value.strip()));
      if (value != null && value.strip().length() >= 4 && !alsoElsewhere) {
        for (String problem : config.problems()) {
          assertFalse(problem.contains(value.strip()), () -> secret + " printed: " + problem);
        }
      }
    }
    assertEquals(config.ringSize(), Integer.highestOneBit(config.ringSize()));
  }

  private static List<String> variables() {
    List<String> all = new ArrayList<>();
    for (String variable : AgentConfig.VARIABLES) {
      if (variable.equals(AgentConfig.INTEGRATION_SWITCH)) {
        INTEGRATIONS.forEach(name -> all.add(AgentConfig.integrationSwitch(name)));
      } else {
        all.add(variable);
      }
    }
    return all;
  }
}
