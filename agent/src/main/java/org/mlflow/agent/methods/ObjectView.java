package org.mlflow.agent.methods;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An application object as plain JSON values, read on the exporter thread without running any
 * of the application's code: no {@code toString()}, no getter, no accessor (a getter may load
 * from a database, lock, or change state; {@code toString()} may print secrets or be slow).
 *
 * <p>JDK values are read as what they are (numbers, text, booleans, enums by name, JDK maps,
 * collections and arrays by their items, {@code java.time} and similar value types by their JDK
 * text); any other object by its fields, as Jackson would by field access: instance fields,
 * without {@code static}, {@code transient} and synthetic ones, recursively. Depth, items per
 * collection and objects per value are bounded; a cycle, a value past the bounds and an object
 * whose fields cannot be read (a class of a closed module, a JDK internal) become {@code
 * "<ClassName>"}.
 */
public final class ObjectView {

  static final int MAX_DEPTH = 6;
  static final int MAX_ITEMS = 100;
  static final int MAX_NODES = 2000;

  /** JDK value types whose text is the value, read by the JDK's own {@code toString()}. */
  private static final Set<String> JDK_TEXT_PACKAGES = Set.of("java.time", "java.net",
      "java.nio.file", "java.math");
  private static final Set<Class<?>> JDK_TEXT_TYPES = Set.of(java.util.UUID.class,
      java.util.Locale.class, java.util.Currency.class, java.io.File.class, StringBuilder.class,
      StringBuffer.class, java.util.Date.class);

  private final IdentityHashMap<Object, Boolean> path = new IdentityHashMap<>();
  private int nodes;

  private ObjectView() {}

  public static Object of(Object value) {
    return new ObjectView().read(value, 0);
  }

  private Object read(Object value, int depth) {
    if (value == null || value instanceof String || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Number && isJdk(value.getClass())) {
      return value instanceof java.math.BigDecimal || value instanceof java.math.BigInteger
          ? value.toString() : value;
    }
    if (value instanceof Character) {
      return value.toString();
    }
    if (value instanceof Enum) {
      return ((Enum<?>) value).name();
    }
    if (isJdkText(value.getClass())) {
      return value.toString();
    }
    if (++nodes > MAX_NODES || depth >= MAX_DEPTH || path.containsKey(value)) {
      return marker(value);
    }
    path.put(value, Boolean.TRUE);
    try {
      return readStructure(value, depth + 1);
    } catch (RuntimeException unreadable) { // changed while read, or closed to reflection
      return marker(value);
    } finally {
      path.remove(value);
    }
  }

  private Object readStructure(Object value, int depth) {
    Class<?> type = value.getClass();
    if (type.isArray()) {
      List<Object> items = new ArrayList<>();
      int length = Array.getLength(value);
      for (int i = 0; i < Math.min(length, MAX_ITEMS); i++) {
        items.add(read(Array.get(value, i), depth));
      }
      return items;
    }
    if (value instanceof Optional && isJdk(type)) {
      return read(((Optional<?>) value).orElse(null), depth);
    }
    if (value instanceof Map && isJdk(type)) {
      Map<String, Object> entries = new LinkedHashMap<>();
      for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
        if (entries.size() == MAX_ITEMS) {
          break;
        }
        entries.put(key(entry.getKey()), read(entry.getValue(), depth));
      }
      return entries;
    }
    if (value instanceof Collection && isJdk(type)) {
      List<Object> items = new ArrayList<>();
      for (Object item : (Collection<?>) value) {
        if (items.size() == MAX_ITEMS) {
          break;
        }
        items.add(read(item, depth));
      }
      return items;
    }
    if (isJdk(type)) {
      return marker(value); // JDK internals are not the app's data
    }
    return readFields(value, depth);
  }

  private Map<String, Object> readFields(Object value, int depth) {
    Map<String, Object> fields = new LinkedHashMap<>();
    for (Class<?> type = value.getClass(); type != null && !isJdk(type);
        type = type.getSuperclass()) {
      for (Field field : type.getDeclaredFields()) {
        int modifiers = field.getModifiers();
        if (Modifier.isStatic(modifiers) || Modifier.isTransient(modifiers) || field.isSynthetic()
            || fields.containsKey(field.getName())) {
          continue;
        }
        field.setAccessible(true);
        try {
          fields.put(field.getName(), read(field.get(value), depth));
        } catch (IllegalAccessException impossible) {
          fields.put(field.getName(), marker(value));
        }
      }
    }
    return fields;
  }

  private static String key(Object key) {
    if (key instanceof String) {
      return (String) key;
    }
    if (key instanceof Enum) {
      return ((Enum<?>) key).name();
    }
    boolean jdkScalar = key instanceof Number || key instanceof Boolean || key instanceof Character;
    if (key == null || (jdkScalar && isJdk(key.getClass()))) {
      return String.valueOf(key);
    }
    return marker(key);
  }

  private static boolean isJdk(Class<?> type) {
    ClassLoader loader = type.getClassLoader();
    return loader == null || loader == ClassLoader.getPlatformClassLoader();
  }

  private static boolean isJdkText(Class<?> type) {
    return isJdk(type) && (JDK_TEXT_TYPES.contains(type)
        || JDK_TEXT_PACKAGES.contains(type.getPackageName())
        || java.nio.file.Path.class.isAssignableFrom(type));
  }

  private static String marker(Object value) {
    return "<" + value.getClass().getName() + ">";
  }
}
