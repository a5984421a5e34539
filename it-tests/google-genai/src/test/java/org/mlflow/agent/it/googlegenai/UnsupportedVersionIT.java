package org.mlflow.agent.it.googlegenai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.agent.it.support.ForkedApp;

/**
 * A {@code Models} class of another shape (an SDK version the agent does not know) is left alone,
 * with one line per method it looked for; the app runs as without the agent.
 */
class UnsupportedVersionIT {

  @TempDir
  Path dir;

  @Test
  void aModelsClassOfAnotherShapeIsSkippedWithOneLinePerHook() throws Exception {
    Path sources = Files.createDirectories(dir.resolve("src/com/google/genai"));
    Files.writeString(sources.resolve("Models.java"),
        "package com.google.genai;\n"
            + "public final class Models {\n"
            + "  public String generateContent(String model, String text) {\n"
            + "    return model + \" says \" + text;\n"
            + "  }\n"
            + "  public static void main(String[] args) {\n"
            + "    System.out.println(new Models().generateContent(\"gemini\", \"hi\"));\n"
            + "  }\n"
            + "}\n");
    Path classes = Files.createDirectories(dir.resolve("classes"));
    assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d",
        classes.toString(), sources.resolve("Models.java").toString()));

    Process process = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-javaagent:" + ForkedApp.agentJar(),
        "-cp", classes.toString(),
        "com.google.genai.Models")
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .start();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS));
    List<String> lines = List.of(new String(process.getInputStream().readAllBytes()).split("\\R"));

    assertEquals(0, process.exitValue(), String.join("\n", lines));
    assertTrue(lines.contains("gemini says hi"), String.join("\n", lines));
    for (String hook : List.of("generateContent", "privateGenerateContent",
        "generateContentStream")) {
      assertTrue(lines.contains("[mlflow-agent] WARN google-genai: Models." + hook
          + "(String, List, GenerateContentConfig) not found in com.google.genai.Models (an"
          + " unsupported library version?); those calls are not traced."),
          String.join("\n", lines));
    }
    assertTrue(lines.stream().anyMatch(line -> line.contains("Models.embedContent(")),
        String.join("\n", lines));
    assertFalse(lines.stream().anyMatch(line -> line.contains(ForkedApp.AGENT_ERROR)));
    assertFalse(Files.exists(dir.resolve("mlflow-traces")));
  }
}
