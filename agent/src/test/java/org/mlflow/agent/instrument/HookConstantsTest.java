package org.mlflow.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.isBridge;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.UnaryOperator;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.integration.Hook;
import org.mlflow.agent.integration.SpanConstant;

/** One advice class serves several hooks: each woven method gets its own hook's constants. */
class HookConstantsTest {

  @Test
  void eachHookWeavesItsOwnConstantsIntoTheSharedAdvice() throws Exception {
    Hook chat = hookOnApply().withSpan("chat.kind", "Completions", "CHAT_MODEL");
    Hook embedding = hookOnApply().withSpan("embedding.kind", "Embeddings", "EMBEDDING");

    assertEquals("hi|chat.kind|Completions|CHAT_MODEL", weave(chat).apply("hi"));
    assertEquals("hi|embedding.kind|Embeddings|EMBEDDING", weave(embedding).apply("hi"));
  }

  private static Hook hookOnApply() {
    return Hook.of("Echo.apply(String)", named(Echo.class.getName()),
        named("apply").and(not(isBridge())), AppendConstants.class);
  }

  @SuppressWarnings("unchecked")
  private static UnaryOperator<String> weave(Hook hook) throws Exception {
    Class<?> woven = new ByteBuddy()
        .redefine(Echo.class)
        .name(Echo.class.getName() + "$Woven")
        .visit(Weaver.advice(hook, Advice.ExceptionHandler.Default.RETHROWING))
        .make()
        .load(Echo.class.getClassLoader(), ClassLoadingStrategy.Default.WRAPPER)
        .getLoaded();
    return (UnaryOperator<String>) woven.getDeclaredConstructor().newInstance();
  }

  public static class Echo implements UnaryOperator<String> {
    @Override
    public String apply(String value) {
      return value;
    }
  }

  public static final class AppendConstants {
    private AppendConstants() {}

    @Advice.OnMethodExit
    public static void exit(@Advice.Return(readOnly = false) String result,
        @SpanConstant.ContentKind String contentKind, @SpanConstant.Name String spanName,
        @SpanConstant.Type String spanType) {
      result = result + "|" + contentKind + "|" + spanName + "|" + spanType;
    }
  }
}
