package org.mlflow.agent.integration;

import static net.bytebuddy.matcher.ElementMatchers.any;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class HookTest {

  @Test
  void aHookBindsNoConstantsUntilItNamesItsSpan() {
    Hook plain = Hook.of("Chat.call()", any(), any(), Object.class);
    Hook chat = plain.withSpan("openai.chat.completion", "Completions", "CHAT_MODEL");

    assertTrue(plain.constants().isEmpty());
    assertEquals(Map.of(
        SpanConstant.ContentKind.class, "openai.chat.completion",
        SpanConstant.Name.class, "Completions",
        SpanConstant.Type.class, "CHAT_MODEL"), chat.constants());
    assertEquals(plain.description(), chat.description());
    assertEquals(plain.advice(), chat.advice());
  }
}
