package org.mlflow.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isBridge;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import org.junit.jupiter.api.Test;

/** The weaving transformer, on class files as a class loader would hand them to it. */
class AdviceTransformerTest {

  private static final String GREETER = internalName(Greeter.class);

  @Test
  void aMatchedClassLoadsWithItsAdviceWoven() throws Exception {
    byte[] woven = new AdviceTransformer(List.of(rule(GREETER, appendMark())))
        .transform(loader(), GREETER, null, null, classFile(Greeter.class));

    assertNotNull(woven);
    assertEquals("hello ann!", load(woven).apply("ann"));
  }

  @Test
  void everyMatchingRuleIsWovenIntoTheSameClass() throws Exception {
    byte[] woven = new AdviceTransformer(List.of(rule(GREETER, appendMark()),
            rule(GREETER, appendMark())))
        .transform(loader(), GREETER, null, null, classFile(Greeter.class));

    assertEquals("hello ann!!", load(woven).apply("ann"));
  }

  @Test
  void aClassIsMatchedByTheTypesItImplementsReadFromItsLoader() throws Exception {
    AdviceTransformer.Rule byInterface = new AdviceTransformer.Rule() {
      @Override
      public boolean matches(TypeDescription type, ClassLoader loader) {
        return hasSuperType(named(UnaryOperator.class.getName())).matches(type);
      }

      @Override
      public DynamicType.Builder<?> weave(DynamicType.Builder<?> builder, TypeDescription type) {
        return appendMark().apply(builder);
      }
    };

    byte[] woven = new AdviceTransformer(List.of(byInterface))
        .transform(loader(), GREETER, null, null, classFile(Greeter.class));

    assertEquals("hello ann!", load(woven).apply("ann"));
  }

  @Test
  void aClassWhoseSuperTypesItsLoaderCannotShowIsLeftAsItIsWithoutAnErrorLine()
      throws IOException {
    // A loader that finds no class file at all: Greeter's super types cannot be read through it.
    ClassLoader blind = new ClassLoader(null) {
      @Override
      public InputStream getResourceAsStream(String name) {
        return null;
      }
    };
    AdviceTransformer.Rule bySuperType = new AdviceTransformer.Rule() {
      @Override
      public boolean matches(TypeDescription type, ClassLoader loader) {
        return hasSuperType(named("com.example.ChatModel")).matches(type);
      }

      @Override
      public DynamicType.Builder<?> weave(DynamicType.Builder<?> builder, TypeDescription type) {
        return appendMark().apply(builder);
      }
    };
    byte[] classFile = classFile(SubGreeter.class);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream stderr = System.err;
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    try {
      assertNull(new AdviceTransformer(List.of(bySuperType))
          .transform(blind, internalName(SubGreeter.class), null, null, classFile));
    } finally {
      System.setErr(stderr);
    }
    assertEquals("", log.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aClassNoRuleMatchesIsLeftAsItIs() throws IOException {
    assertNull(new AdviceTransformer(List.of(rule("com/example/Other", appendMark())))
        .transform(loader(), GREETER, null, null, classFile(Greeter.class)));
  }

  @Test
  void aMatchedClassWhoseRuleAddsNothingIsLeftAsItIs() throws IOException {
    assertNull(new AdviceTransformer(List.of(rule(GREETER, builder -> builder)))
        .transform(loader(), GREETER, null, null, classFile(Greeter.class)));
  }

  @Test
  void aRuleThatFailsLeavesTheClassAsItIsAndThrowsNothingToTheLoader() throws Exception {
    byte[] classFile = classFile(Greeter.class);
    AtomicBoolean failNext = new AtomicBoolean(true);
    AdviceTransformer transformer = new AdviceTransformer(List.of(rule(GREETER, builder -> {
      if (failNext.getAndSet(false)) {
        throw new IllegalStateException("a bug in the agent");
      }
      return appendMark().apply(builder);
    })));

    assertNull(transformer.transform(loader(), GREETER, null, null, classFile));
    // The failure left this thread free to weave the next class.
    assertEquals("hello ann!",
        load(transformer.transform(loader(), GREETER, null, null, classFile)).apply("ann"));
  }

  @Test
  void aClassLoadedWhileThisThreadWeavesAnotherPassesUnwoven() throws IOException {
    byte[] classFile = classFile(Greeter.class);
    AtomicReference<byte[]> nested = new AtomicReference<>(new byte[0]);
    AtomicReference<AdviceTransformer> self = new AtomicReference<>();
    self.set(new AdviceTransformer(List.of(rule(GREETER, builder -> {
      nested.set(self.get().transform(loader(), GREETER, null, null, classFile));
      return appendMark().apply(builder);
    }))));

    assertNotNull(self.get().transform(loader(), GREETER, null, null, classFile));
    assertNull(nested.get());
  }

  @Test
  void theWarmUpWeavesItsThrowawayClass() {
    assertTrue(WeaverWarmUp.run(Advice.ExceptionHandler.Default.RETHROWING));
  }

  private static AdviceTransformer.Rule rule(String internalName,
      UnaryOperator<DynamicType.Builder<?>> weave) {
    return new AdviceTransformer.Rule() {
      @Override
      public boolean matches(TypeDescription type, ClassLoader loader) {
        return type.getInternalName().equals(internalName);
      }

      @Override
      public DynamicType.Builder<?> weave(DynamicType.Builder<?> builder, TypeDescription type) {
        return weave.apply(builder);
      }
    };
  }

  private static UnaryOperator<DynamicType.Builder<?>> appendMark() {
    return builder -> builder.visit(Advice.to(AppendMark.class).on(named("apply").and(not(isBridge()))));
  }

  @SuppressWarnings("unchecked")
  private static UnaryOperator<String> load(byte[] classFile) throws Exception {
    String name = Greeter.class.getName();
    ClassLoader isolated = new ClassLoader(loader()) {
      @Override
      protected Class<?> loadClass(String className, boolean resolve)
          throws ClassNotFoundException {
        if (!className.equals(name)) {
          return super.loadClass(className, resolve);
        }
        synchronized (getClassLoadingLock(className)) {
          Class<?> loaded = findLoadedClass(className);
          return loaded != null ? loaded
              : defineClass(className, classFile, 0, classFile.length);
        }
      }
    };
    return (UnaryOperator<String>) isolated.loadClass(name).getDeclaredConstructor()
        .newInstance();
  }

  private static byte[] classFile(Class<?> type) throws IOException {
    try (InputStream in = loader().getResourceAsStream(internalName(type) + ".class")) {
      return in.readAllBytes();
    }
  }

  private static String internalName(Class<?> type) {
    return type.getName().replace('.', '/');
  }

  private static ClassLoader loader() {
    return AdviceTransformerTest.class.getClassLoader();
  }

  public static class Greeter implements UnaryOperator<String> {
    @Override
    public String apply(String name) {
      return "hello " + name;
    }
  }

  public static class SubGreeter extends Greeter {}

  public static final class AppendMark {
    private AppendMark() {}

    @Advice.OnMethodExit
    public static void exit(@Advice.Return(readOnly = false) String result) {
      result = result + "!";
    }
  }
}
