package org.mlflow.agent.integration;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Reads a library's model object as plain JDK values (maps, lists, strings, numbers) through the
 * library's own Jackson mapper, so the result is exactly the JSON the library sends or receives.
 *
 * <p>The mapper is found reflectively in the object's own class loader: the agent never links
 * against the application's Jackson. Lookups are cached per class loader, weakly, so an undeployed
 * web app's loader can still be collected. Used on the exporter thread only.
 */
public final class LibraryJson {

  private final String mapperFactoryClass;
  private final String mapperFactoryMethod;
  private final Map<ClassLoader, BoundMapper> mappers = new WeakHashMap<>();

  /**
   * @param mapperFactoryClass a class of the library with a static no-argument method returning
   *     its configured Jackson {@code ObjectMapper}, or a static field holding it (older library
   *     versions often keep the mapper in a field before exposing it through a method)
   * @param mapperFactoryMethod the name of that method or field
   */
  public LibraryJson(String mapperFactoryClass, String mapperFactoryMethod) {
    this.mapperFactoryClass = mapperFactoryClass;
    this.mapperFactoryMethod = mapperFactoryMethod;
  }

  /**
   * The object as the library's JSON would read: a Map for an object, a List for an array. A JDK
   * collection of library objects (the list of messages a call was given) is read with the mapper
   * of its elements' library; a value holding no library object at all (a list of strings) is
   * returned as it is.
   */
  public Object toJdkValue(Object libraryObject) throws ReflectiveOperationException {
    if (libraryObject == null) {
      return null;
    }
    ClassLoader loader = libraryLoader(libraryObject);
    if (loader == null) {
      return libraryObject;
    }
    return mapperOf(loader).convert(libraryObject);
  }

  /**
   * JSON text (such as a fragment a library streamed) as plain JDK values, read by the mapper of
   * the library {@code libraryObject} comes from.
   *
   * @throws ReflectiveOperationException also when the text is not valid JSON
   */
  public Object parse(String json, Object libraryObject) throws ReflectiveOperationException {
    return mapperOf(libraryObject.getClass().getClassLoader()).read(json);
  }

  private BoundMapper mapperOf(ClassLoader loader) throws ReflectiveOperationException {
    synchronized (mappers) {
      BoundMapper mapper = mappers.get(loader);
      if (mapper == null) {
        mapper = BoundMapper.find(loader, mapperFactoryClass, mapperFactoryMethod);
        mappers.put(loader, mapper);
      }
      return mapper;
    }
  }

  /** The class loader of the first non-JDK object in the value, or null when there is none. */
  private static ClassLoader libraryLoader(Object value) {
    ClassLoader own = value.getClass().getClassLoader();
    if (own != null) {
      return own;
    }
    Iterable<?> elements = value instanceof Iterable ? (Iterable<?>) value
        : value instanceof Map ? ((Map<?, ?>) value).values() : null;
    if (elements != null) {
      for (Object element : elements) {
        ClassLoader loader = element == null ? null : libraryLoader(element);
        if (loader != null) {
          return loader;
        }
      }
    }
    return null;
  }

  private static final class BoundMapper {
    private final Object mapper;
    private final Method convertValue;
    private final Method readValue;

    private BoundMapper(Object mapper, Method convertValue, Method readValue) {
      this.mapper = mapper;
      this.convertValue = convertValue;
      this.readValue = readValue;
    }

    static BoundMapper find(ClassLoader loader, String factoryClass, String factoryMethod)
        throws ReflectiveOperationException {
      Class<?> factory = Class.forName(factoryClass, true, loader);
      Object mapper = staticMember(factory, factoryMethod);
      // Found through the mapper itself, never by class name: the agent jar's build relocates
      // Jackson class names, and the library's own Jackson is the one wanted here.
      return new BoundMapper(mapper,
          mapper.getClass().getMethod("convertValue", Object.class, Class.class),
          mapper.getClass().getMethod("readValue", String.class, Class.class));
    }

    private static Object staticMember(Class<?> factory, String name)
        throws ReflectiveOperationException {
      try {
        return factory.getMethod(name).invoke(null);
      } catch (NoSuchMethodException noMethod) {
        java.lang.reflect.Field field = factory.getDeclaredField(name);
        field.setAccessible(true);
        return field.get(null);
      }
    }

    Object convert(Object value) throws ReflectiveOperationException {
      return convertValue.invoke(mapper, value, Object.class);
    }

    Object read(String json) throws ReflectiveOperationException {
      return readValue.invoke(mapper, json, Object.class);
    }
  }
}
