package org.mlflow.agent.instrument;

/**
 * The classes the agent never weaves, told by name (and loader) alone, before Byte Buddy parses
 * anything: the agent itself, the JDK, and other Java agents' own classes.
 *
 * <p>Other agents matter for more than speed. Their premain loads their classes while holding
 * their class loader's locks; had our weaver parsed those classes, it would take Byte Buddy's type
 * pool lock inside theirs, while our own weaver thread, inside our lock, may be loading a class
 * their transformer needs from that loader: the two JVMs' start-ups then wait on each other for
 * ever (seen with the OpenTelemetry agent attached after ours on JDK 25).
 */
final class NeverWoven {

  /** Internal-form prefixes: ours, the JDK's, and the classes of the Java agents we know. */
  private static final String[] PREFIXES = {
      "org/mlflow/agent/",
      "java/", "jdk/", "sun/", "com/sun/",
      "io/opentelemetry/javaagent/", "co/elastic/apm/agent/", "datadog/", "com/datadog/",
      "com/newrelic/"};

  /** The class loaders other agents keep their own classes in. */
  private static final String[] AGENT_LOADER_PREFIXES = {"io.opentelemetry.javaagent."};

  private NeverWoven() {}

  /** @param internalName a class name in internal form, such as {@code com/openai/Foo} */
  static boolean className(String internalName) {
    if (internalName.startsWith("javax/")) {
      // javax.servlet is no JDK package: it is the servlet API of older servers.
      return !internalName.startsWith("javax/servlet/");
    }
    for (String prefix : PREFIXES) {
      if (internalName.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code loader} is another agent's own: none of its classes is the app's. */
  static boolean loader(ClassLoader loader) {
    if (loader == null) {
      return false;
    }
    String name = loader.getClass().getName();
    for (String prefix : AGENT_LOADER_PREFIXES) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
