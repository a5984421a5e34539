package org.mlflow.agent.methods;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import net.bytebuddy.description.method.MethodDescription;

/**
 * One entry of {@code MLFLOW_AGENT_TRACE_METHODS}: which methods of which application classes
 * become spans, and of what type. The syntax is {@code <class>#<method>[:<SPAN_TYPE>]}:
 *
 * <ul>
 *   <li>{@code <class>}: a fully qualified class name ({@code com.acme.Bot}, a nested class as
 *       {@code com.acme.Bot$Inner}), or {@code com.acme.rag.*}: every class of that one package
 *       (not of its sub-packages);
 *   <li>{@code <method>}: a method name (every non-abstract overload, whatever its visibility), or
 *       {@code *}: every public non-abstract method the class declares, except {@code main},
 *       {@code equals}, {@code hashCode}, {@code toString} and bean getters and setters;
 *   <li>{@code <SPAN_TYPE>}: one of MLflow's span types; {@code UNKNOWN} when left out, as for
 *       Python's {@code @mlflow.trace}.
 * </ul>
 *
 * Constructors, static initializers, synthetic and bridge methods (lambdas) are never traced.
 */
public final class MethodPattern {

  /** MLflow's span types ({@code mlflow.entities.SpanType}). */
  static final Set<String> SPAN_TYPES = Set.of("LLM", "CHAIN", "AGENT", "TOOL", "CHAT_MODEL",
      "RETRIEVER", "PARSER", "EMBEDDING", "RERANKER", "MEMORY", "UNKNOWN", "WORKFLOW", "TASK",
      "GUARDRAIL", "EVALUATOR");

  static final String DEFAULT_SPAN_TYPE = "UNKNOWN";

  /** What the variable accepts, for the warning about a bad value. */
  public static final String ACCEPTS = "comma-separated <class>#<method>[:<SPAN_TYPE>] entries,"
      + " <class> a class name or <package>.*, <method> a method name or *, e.g."
      + " com.acme.Bot#answer:AGENT,com.acme.rag.*#*";

  private static final String JAVA_NAME = "[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*";
  private static final String CLASS_NAME = JAVA_NAME + "(\\." + JAVA_NAME + ")*";

  private final String className;
  private final String packageName;
  private final String methodName;
  private final String spanType;

  private MethodPattern(String className, String packageName, String methodName,
      String spanType) {
    this.className = className;
    this.packageName = packageName;
    this.methodName = methodName;
    this.spanType = spanType;
  }

  /** Parses the whole variable; throws with the first bad entry when any entry is bad. */
  public static List<MethodPattern> parseAll(String value) {
    List<MethodPattern> patterns = new ArrayList<>();
    for (String entry : value.split(",")) {
      if (!entry.isBlank()) {
        patterns.add(parse(entry.trim()));
      }
    }
    if (patterns.isEmpty()) {
      throw new IllegalArgumentException("no entry");
    }
    return patterns;
  }

  static MethodPattern parse(String entry) {
    int hash = entry.indexOf('#');
    if (hash < 0) {
      throw new IllegalArgumentException(entry + " has no #<method>");
    }
    String type = entry.substring(0, hash);
    String method = entry.substring(hash + 1);
    String spanType = DEFAULT_SPAN_TYPE;
    int colon = method.indexOf(':');
    if (colon >= 0) {
      spanType = method.substring(colon + 1).toUpperCase(Locale.ROOT);
      method = method.substring(0, colon);
      if (!SPAN_TYPES.contains(spanType)) {
        throw new IllegalArgumentException(entry + " names no MLflow span type");
      }
    }
    if (!method.equals("*") && !method.matches(JAVA_NAME)) {
      throw new IllegalArgumentException(entry + " names no method");
    }
    if (type.endsWith(".*") && type.substring(0, type.length() - 2).matches(CLASS_NAME)) {
      return new MethodPattern(null, type.substring(0, type.length() - 2), method, spanType);
    }
    if (type.matches(CLASS_NAME)) {
      return new MethodPattern(type, null, method, spanType);
    }
    throw new IllegalArgumentException(entry + " names no class or package.*");
  }

  /** The start every name {@link #matchesType} accepts shares: the class, or the package and a dot. */
  public String classNamePrefix() {
    return className != null ? className : packageName + ".";
  }

  /** Whether the class of this (binary) name is one this pattern names. */
  public boolean matchesType(String typeName) {
    if (className != null) {
      return className.equals(typeName);
    }
    return typeName.length() > packageName.length()
        && typeName.startsWith(packageName)
        && typeName.charAt(packageName.length()) == '.'
        && typeName.indexOf('.', packageName.length() + 1) < 0;
  }

  /** Whether this pattern traces {@code method} of a class it matches. */
  public boolean matchesMethod(MethodDescription method) {
    if (!method.isMethod() || method.isAbstract() || method.isNative() || method.isSynthetic()
        || method.isBridge()) {
      return false;
    }
    if (!methodName.equals("*")) {
      return method.getName().equals(methodName);
    }
    return method.isPublic() && !isPlumbing(method);
  }

  /** Methods a class has for its objects' sake, not as steps of its work. */
  private static boolean isPlumbing(MethodDescription method) {
    String name = method.getName();
    int parameters = method.getParameters().size();
    boolean returnsValue = !method.getReturnType().represents(void.class);
    return (name.equals("main") && method.isStatic())
        || (name.equals("equals") && parameters == 1)
        || (name.equals("hashCode") || name.equals("toString")) && parameters == 0
        || (parameters == 0 && returnsValue && isBeanName(name, "get"))
        || (parameters == 0 && isBeanName(name, "is")
            && method.getReturnType().represents(boolean.class))
        || (parameters == 1 && !returnsValue && isBeanName(name, "set"));
  }

  private static boolean isBeanName(String name, String prefix) {
    return name.length() > prefix.length() && name.startsWith(prefix)
        && Character.isUpperCase(name.charAt(prefix.length()));
  }

  /**
   * Whether this pattern names one method of exactly this class: a class that turns out to have no
   * such traceable method is then worth a warning (a typo, an abstract method).
   */
  boolean namesAMethodOf(String typeName) {
    return typeName.equals(className) && !methodName.equals("*");
  }

  String methodName() {
    return methodName;
  }

  public String spanType() {
    return spanType;
  }

  @Override
  public String toString() {
    return (className != null ? className : packageName + ".*") + "#" + methodName + ":"
        + spanType;
  }
}
