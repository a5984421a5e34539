package org.mlflow.agent.it.openai;

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
 * A library whose hooked class is there but has another shape (an OpenAI SDK version the agent does
 * not know) is left alone with one line; the app runs as without the agent.
 */
class UnsupportedVersionIT {

  @TempDir
  Path dir;

  @Test
  void aMethodOfAnotherShapeIsSkippedWithOneLine() throws Exception {
    Path sources = Files.createDirectories(dir.resolve("src/com/openai/services/async/chat"));
    Files.writeString(sources.resolve("ChatCompletionServiceAsyncImpl.java"),
        "package com.openai.services.async.chat;\n"
            + "public final class ChatCompletionServiceAsyncImpl {\n"
            + "  public String create(String prompt) { return \"echo \" + prompt; }\n"
            + "  public static void main(String[] args) {\n"
            + "    System.out.println(new ChatCompletionServiceAsyncImpl().create(\"hi\"));\n"
            + "  }\n"
            + "}\n");
    Path classes = Files.createDirectories(dir.resolve("classes"));
    int compiled = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d",
        classes.toString(), sources.resolve("ChatCompletionServiceAsyncImpl.java").toString());
    assertEquals(0, compiled);

    Process process = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-javaagent:" + ForkedApp.agentJar(),
        "-cp", classes.toString(),
        "com.openai.services.async.chat.ChatCompletionServiceAsyncImpl")
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .start();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS));
    List<String> lines = List.of(new String(process.getInputStream().readAllBytes()).split("\\R"));

    assertEquals(0, process.exitValue(), String.join("\n", lines));
    assertTrue(lines.contains("echo hi"), String.join("\n", lines));
    assertTrue(lines.contains("[mlflow-agent] WARN openai: ChatCompletionServiceAsyncImpl.create("
        + "ChatCompletionCreateParams, RequestOptions) not found in"
        + " com.openai.services.async.chat.ChatCompletionServiceAsyncImpl (an unsupported library"
        + " version?); those calls are not traced."), String.join("\n", lines));
    assertFalse(lines.stream().anyMatch(line -> line.contains(ForkedApp.AGENT_ERROR)));
    assertFalse(Files.exists(dir.resolve("mlflow-traces")));
  }
}
