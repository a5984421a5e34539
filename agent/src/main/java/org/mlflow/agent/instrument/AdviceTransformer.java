package org.mlflow.agent.instrument;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.List;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.pool.TypePool;
import org.mlflow.agent.AgentLog;

/**
 * The weaving transformer: a class that some {@link Rule}s match gets their advice woven into its
 * methods, with Byte Buddy's {@code decorate}, and nothing else (no member, no initializer, no
 * change of the class's format, so a class can be woven after it loaded too).
 *
 * <p>It takes the place of Byte Buddy's {@code AgentBuilder}, of which the agent used only this.
 * Building an {@code AgentBuilder} cost some 150 ms of CPU at start-up, on 2 cores taken from the
 * application's own start-up: {@code makeRaw} generates and loads a class at run time (its
 * transformer's Java 9 overload), which loads Byte Buddy's subclassing, method-call and class
 * injection machinery the agent never uses otherwise.
 *
 * <p>Types are read through a type pool from the class file and its loader's resources, lazily,
 * so matching by name parses nothing and no class is loaded to decide. A class loaded while this
 * thread weaves another (a loader loading its own helpers) is passed unwoven, as Byte Buddy's
 * circularity lock does: the agent's matchers never need the classes that loader loads.
 */
final class AdviceTransformer implements ClassFileTransformer {

  /** One kind of class the agent weaves: which classes, and what goes into them. */
  interface Rule {

    /** Whether {@code type}, loading from {@code loader} (null: the bootstrap loader), is one. */
    boolean matches(TypeDescription type, ClassLoader loader);

    /** The rule's advice added to {@code builder}, or that same builder when none applies. */
    DynamicType.Builder<?> weave(DynamicType.Builder<?> builder, TypeDescription type);
  }

  private final ByteBuddy byteBuddy = new ByteBuddy()
      .with(TypeValidation.DISABLED) // advice only: there is no user-defined member to validate
      .with(Implementation.Context.Disabled.Factory.INSTANCE); // no class format change
  private final List<Rule> rules;
  private final ThreadLocal<Boolean> weaving = new ThreadLocal<>();

  AdviceTransformer(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  @Override
  public byte[] transform(ClassLoader loader, String internalName, Class<?> classBeingRedefined,
      ProtectionDomain domain, byte[] classFile) {
    if (internalName == null || classFile == null || weaving.get() != null) {
      return null;
    }
    weaving.set(Boolean.TRUE);
    try {
      return weave(loader, internalName, classFile);
    } catch (Throwable failure) {
      // Any failure to weave a matched class is an agent bug: the class loads as it was.
      String name = internalName.replace('/', '.');
      AgentLog.errorOnce("instrument:" + name,
          "instrumentation failed for " + name + "; it runs untraced", failure);
      return null;
    } finally {
      weaving.remove();
    }
  }

  /** The class file with the matching rules' advice, or null when no rule adds any; throws. */
  byte[] weave(ClassLoader loader, String internalName, byte[] classFile) {
    String name = internalName.replace('/', '.');
    ClassFileLocator locator = new ClassFileLocator.Compound(
        ClassFileLocator.Simple.of(name, classFile), ClassFileLocator.ForClassLoader.of(loader));
    // Object is known up front, as in Byte Buddy's own pools: a walk up a class's super types
    // then ends without reading Object's class file through the loader again for every class.
    TypePool pool = new TypePool.Default.WithLazyResolution(
        TypePool.CacheProvider.Simple.withObjectType(), locator, TypePool.Default.ReaderMode.FAST);
    TypeDescription type = pool.describe(name).resolve();
    DynamicType.Builder<?> builder = null;
    for (Rule rule : rules) {
      if (matches(rule, type, loader)) {
        DynamicType.Builder<?> base = builder == null ? byteBuddy.decorate(type, locator) : builder;
        DynamicType.Builder<?> woven = rule.weave(base, type);
        if (woven != base) {
          builder = woven;
        }
      }
    }
    return builder == null ? null : builder.make(pool).getBytes();
  }

  /**
   * Whether the rule takes the type; no when a super type it must look at cannot be read from the
   * class's loader (one generated at run time, or missing from the class path): such a class cannot
   * be told to be a library's type, and is not worth an error line in the application's log.
   */
  private static boolean matches(Rule rule, TypeDescription type, ClassLoader loader) {
    try {
      return rule.matches(type, loader);
    } catch (IllegalStateException unresolvable) { // Byte Buddy's "cannot resolve type"
      return false;
    }
  }
}
