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
   *     its configured Jackson {@code ObjectMapper}
   */
  public LibraryJson(String mapperFactoryClass, String mapperFactoryMethod) {
    this.mapperFactoryClass = mapperFactoryClass;
    this.mapperFactoryMethod = mapperFactoryMethod;
  }

  /** The object as the library's JSON would read: a Map for an object, a List for an array. */
  public Object toJdkValue(Object libraryObject) throws ReflectiveOperationException {
    if (libraryObject == null) {
      return null;
    }
    return mapperOf(libraryObject).convert(libraryObject);
  }

  /**
   * JSON text (such as a fragment a library streamed) as plain JDK values, read by the mapper of
   * the library {@code libraryObject} comes from.
   *
   * @throws ReflectiveOperationException also when the text is not valid JSON
   */
  public Object parse(String json, Object libraryObject) throws ReflectiveOperationException {
    return mapperOf(libraryObject).read(json);
  }

  private BoundMapper mapperOf(Object libraryObject) throws ReflectiveOperationException {
    synchronized (mappers) {
      ClassLoader loader = libraryObject.getClass().getClassLoader();
      BoundMapper mapper = mappers.get(loader);
      if (mapper == null) {
        mapper = BoundMapper.find(loader, mapperFactoryClass, mapperFactoryMethod);
        mappers.put(loader, mapper);
      }
      return mapper;
    }
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
      Object mapper = factory.getMethod(factoryMethod).invoke(null);
      // Found through the mapper itself, never by class name: the agent jar's build relocates
      // Jackson class names, and the library's own Jackson is the one wanted here.
      return new BoundMapper(mapper,
          mapper.getClass().getMethod("convertValue", Object.class, Class.class),
          mapper.getClass().getMethod("readValue", String.class, Class.class));
    }

    Object convert(Object value) throws ReflectiveOperationException {
      return convertValue.invoke(mapper, value, Object.class);
    }

    Object read(String json) throws ReflectiveOperationException {
      return readValue.invoke(mapper, json, Object.class);
    }
  }
}
