package org.mlflow.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.named;

import java.io.InputStream;
import java.util.List;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Weaves a throwaway class of the agent's own, on the weaver's thread, so that what a first weave
 * loads and initializes (Byte Buddy's advice, type writer and frame computation: some 300 classes)
 * is loaded there rather than on the application thread that loads the first hooked class.
 */
final class WeaverWarmUp {

  private WeaverWarmUp() {}

  /**
   * Weaves {@link Target} with {@link TargetAdvice} as hooks are woven; the bytes are dropped.
   * Returns whether it was woven. A failure is kept quiet and never thrown: the warm-up only
   * moves work earlier, and the first hooked class then loads those classes itself.
   */
  static boolean run(Advice.ExceptionHandler reportFailures) {
    String internalName = Target.class.getName().replace('.', '/');
    ClassLoader agentLoader = WeaverWarmUp.class.getClassLoader();
    try (InputStream in = agentLoader.getResourceAsStream(internalName + ".class")) {
      if (in == null) {
        return false;
      }
      byte[] classFile = in.readAllBytes();
      return new AdviceTransformer(List.of(new AdviceTransformer.Rule() {
        @Override
        public boolean matches(TypeDescription type, ClassLoader loader) {
          return true;
        }

        @Override
        public DynamicType.Builder<?> weave(DynamicType.Builder<?> builder,
            TypeDescription type) {
          return builder.visit(Advice.to(TargetAdvice.class).withExceptionHandler(reportFailures)
              .on(named("call")));
        }
      })).weave(agentLoader, internalName, classFile) != null;
    } catch (Throwable failure) {
      return false;
    }
  }

  /** The class woven: a method with an argument and a result, as the libraries' hooked ones. */
  static final class Target {
    Object call(Object argument) {
      return argument;
    }
  }

  /** Advice in the shape of the integrations': span on enter, result and error on exit. */
  static final class TargetAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter(@Advice.Argument(0) Object argument, @Advice.This Object target) {
      return argument;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter Object entered,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object result,
        @Advice.Thrown Throwable error) {
      result = entered;
    }
  }
}
