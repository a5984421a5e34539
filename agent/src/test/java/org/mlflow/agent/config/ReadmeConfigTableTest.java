package org.mlflow.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's configuration table and the variables the agent reads are the same list. */
class ReadmeConfigTableTest {

  private static final Pattern ROW = Pattern.compile("^\\| `([A-Z_<>]+)` \\|");

  @Test
  void everySettingIsDocumentedAndEveryDocumentedSettingIsRead() throws Exception {
    Path readme = Paths.get("..", "README.md");
    List<String> documented = new ArrayList<>();
    boolean inConfiguration = false;
    for (String line : Files.readAllLines(readme)) {
      if (line.startsWith("## ")) {
        inConfiguration = line.equals("## Configuration");
      }
      Matcher row = ROW.matcher(line);
      if (inConfiguration && row.find()) {
        documented.add(row.group(1));
      }
    }
    assertEquals(AgentConfig.VARIABLES, documented);
  }
}
