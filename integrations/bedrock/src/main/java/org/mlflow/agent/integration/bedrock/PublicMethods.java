package org.mlflow.agent.integration.bedrock;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reflective access to the SDK's public API, for code compiled against none of it. SDK
 * implementation classes may be package-private: methods are entered through the public class
 * or interface that declares them. Look-ups are cached per class ({@link ClassValue}: an
 * application's class loader can still be collected).
 */
final class PublicMethods {

  /**
   * Public methods by name, per class: the readers call a handful of names again and again, each
   * name always with the same parameters.
   */
  private static final ClassValue<Map<String, Method>> METHODS = new ClassValue<>() {
    @Override
    protected Map<String, Method> computeValue(Class<?> type) {
      return new java.util.concurrent.ConcurrentHashMap<>();
    }
  };

  private PublicMethods() {}

  /** The value of a no-argument public method, found through the public type declaring it. */
  static Object call(Object target, String methodName) throws ReflectiveOperationException {
    return find(target.getClass(), methodName).invoke(target);
  }

  static boolean has(Object target, String name) {
    try {
      target.getClass().getMethod(name);
      return true;
    } catch (NoSuchMethodException absent) {
      return false;
    }
  }

  /**
   * The method as declared by a public class or interface of {@code type}'s hierarchy: SDK
   * implementation classes may be package-private, and reflection may only enter through a
   * public type.
   */
  static Method find(Class<?> type, String name, Class<?>... parameters)
      throws NoSuchMethodException {
    Map<String, Method> cache = METHODS.get(type);
    Method cached = cache.get(name);
    if (cached != null) {
      return cached;
    }
    Method found = findPublicMethod(type, name, parameters);
    cache.put(name, found);
    return found;
  }

  private static Method findPublicMethod(Class<?> type, String name, Class<?>... parameters)
      throws NoSuchMethodException {
    Method method = type.getMethod(name, parameters);
    if (Modifier.isPublic(method.getDeclaringClass().getModifiers())) {
      return method;
    }
    Method viaPublicType = fromPublicTypes(type, name, parameters);
    if (viaPublicType == null) {
      throw new NoSuchMethodException(type.getName() + "." + name + " has no public declaration");
    }
    return viaPublicType;
  }

  private static Method fromPublicTypes(Class<?> type, String name, Class<?>[] parameters) {
    for (Class<?> current = type; current != null; current = current.getSuperclass()) {
      List<Class<?>> candidates = new ArrayList<>();
      candidates.add(current);
      candidates.addAll(List.of(current.getInterfaces()));
      for (Class<?> candidate : candidates) {
        if (!Modifier.isPublic(candidate.getModifiers())) {
          continue;
        }
        try {
          return candidate.getMethod(name, parameters);
        } catch (NoSuchMethodException notHere) {
          // keep looking up the hierarchy
        }
      }
    }
    return null;
  }
}
