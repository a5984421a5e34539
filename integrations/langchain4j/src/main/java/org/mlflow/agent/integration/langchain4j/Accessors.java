package org.mlflow.agent.integration.langchain4j;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads LangChain4j's objects through their public no-argument accessors ({@code text()}, {@code
 * messages()}), found by name: the integration links no LangChain4j class, and an accessor a
 * version lacks reads as null. Exporter thread only.
 */
final class Accessors {

  private static final Method MISSING;

  static {
    try {
      MISSING = Object.class.getMethod("hashCode");
    } catch (NoSuchMethodException impossible) {
      throw new ExceptionInInitializerError(impossible);
    }
  }

  private static final ClassValue<Map<String, Method>> ACCESSORS = new ClassValue<>() {
    @Override
    protected Map<String, Method> computeValue(Class<?> type) {
      return new ConcurrentHashMap<>();
    }
  };

  private Accessors() {}

  /** {@code target.name()}, or null when the target is null or has no such accessor. */
  static Object get(Object target, String name) throws ReflectiveOperationException {
    if (target == null) {
      return null;
    }
    Method accessor = ACCESSORS.get(target.getClass())
        .computeIfAbsent(name, missing -> find(target.getClass(), name));
    return accessor == MISSING ? null : accessor.invoke(target);
  }

  static String string(Object target, String name) throws ReflectiveOperationException {
    Object value = get(target, name);
    return value == null ? null : value.toString();
  }

  static List<?> list(Object target, String name) throws ReflectiveOperationException {
    Object value = get(target, name);
    return value instanceof List ? (List<?>) value : List.of();
  }

  /** The enum constant's name, such as {@code AI} for a message type; null for anything else. */
  static String enumName(Object value) {
    return value instanceof Enum ? ((Enum<?>) value).name() : null;
  }

  /**
   * The accessor as declared by a public class or interface: an implementation class may be
   * package-private, and calling its method object would then be refused.
   */
  private static Method find(Class<?> type, String name) {
    Method method;
    try {
      method = type.getMethod(name);
    } catch (NoSuchMethodException absent) {
      return MISSING;
    }
    if (Modifier.isPublic(method.getDeclaringClass().getModifiers())) {
      return method;
    }
    Method inPublicType = findInPublicSupertype(type, name);
    if (inPublicType != null) {
      return inPublicType;
    }
    method.setAccessible(true); // an application class in the unnamed module
    return method;
  }

  private static Method findInPublicSupertype(Class<?> type, String name) {
    for (Class<?> current = type; current != null; current = current.getSuperclass()) {
      if (Modifier.isPublic(current.getModifiers())) {
        try {
          return current.getMethod(name);
        } catch (NoSuchMethodException absent) {
          return null;
        }
      }
      for (Class<?> candidate : current.getInterfaces()) {
        if (Modifier.isPublic(candidate.getModifiers())) {
          try {
            return candidate.getMethod(name);
          } catch (NoSuchMethodException notHere) {
            // another interface may declare it
          }
        }
      }
    }
    return null;
  }
}
