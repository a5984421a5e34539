package org.mlflow.agent.integration.bedrock;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads AWS SDK for Java v2 model objects as plain JDK values (maps, lists, strings, numbers,
 * booleans), in the shape of the service's JSON: each modeled member under its member name
 * ({@code modelId}, {@code inferenceConfig}), members left unset omitted, unions as the one member
 * set, {@code Document} values as the JSON they hold, blobs in base64.
 *
 * <p>The SDK's model objects are not Jackson beans, and its own marshallers need the operation's
 * protocol set-up; but every model object describes its members ({@code SdkPojo.sdkFields()}),
 * which is what is read here, reflectively: the agent is compiled against no SDK class and works
 * in any class loader. Only modeled members are read: a request's override configuration
 * (credentials) and a response's HTTP headers are not members and are never touched.
 *
 * <p>Used on the exporter thread only. Reflection handles are cached per class, weakly.
 */
final class SdkValues {

  private static final String SDK_POJO = "software.amazon.awssdk.core.SdkPojo";
  private static final String SDK_BYTES = "software.amazon.awssdk.core.SdkBytes";
  private static final String DOCUMENT = "software.amazon.awssdk.core.document.Document";
  private static final String AUTO_CONSTRUCT_LIST =
      "software.amazon.awssdk.core.util.SdkAutoConstructList";
  private static final String AUTO_CONSTRUCT_MAP =
      "software.amazon.awssdk.core.util.SdkAutoConstructMap";

  private static final String JSON_NODE_PARSER =
      "software.amazon.awssdk.protocols.jsoncore.JsonNodeParser";
  private static final Map<ClassLoader, Object> JSON_PARSERS = new java.util.WeakHashMap<>();

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
  private static final ClassValue<Kind> KINDS = new ClassValue<>() {
    @Override
    protected Kind computeValue(Class<?> type) {
      if (implementsInterface(type, SDK_POJO)) {
        return Kind.POJO;
      }
      if (implementsInterface(type, DOCUMENT)) {
        return Kind.DOCUMENT;
      }
      if (isClassNamed(type, SDK_BYTES)) {
        return Kind.BYTES;
      }
      if (implementsInterface(type, AUTO_CONSTRUCT_LIST)
          || implementsInterface(type, AUTO_CONSTRUCT_MAP)) {
        return Kind.UNSET;
      }
      return Kind.OTHER;
    }
  };

  private SdkValues() {}

  private enum Kind { POJO, DOCUMENT, BYTES, UNSET, OTHER }

  /** The value as its JSON would read, or null for null and for a member left unset. */
  static Object read(Object value) throws ReflectiveOperationException {
    if (value == null || value instanceof String || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Number) {
      return value;
    }
    if (value instanceof java.time.Instant) {
      return value.toString();
    }
    switch (KINDS.get(value.getClass())) {
      case POJO:
        return readPojo(value);
      case DOCUMENT:
        return readDocument(value);
      case BYTES:
        return Base64.getEncoder().encodeToString((byte[]) call(value, "asByteArray"));
      case UNSET:
        return null;
      default:
        break;
    }
    if (value instanceof List) {
      List<Object> list = new ArrayList<>();
      for (Object item : (List<?>) value) {
        list.add(read(item));
      }
      return list;
    }
    if (value instanceof Map) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
        map.put(String.valueOf(entry.getKey()), read(entry.getValue()));
      }
      return map;
    }
    return value.toString();
  }

  /**
   * A JSON document, such as a model's request or response body, as JDK values, read with the
   * SDK's own JSON parser (found in {@code sdkLoader}); null when the bytes are not JSON.
   */
  static Object parseJson(byte[] json, ClassLoader sdkLoader) throws ReflectiveOperationException {
    Object parser;
    synchronized (JSON_PARSERS) {
      parser = JSON_PARSERS.get(sdkLoader);
      if (parser == null) {
        parser = Class.forName(JSON_NODE_PARSER, true, sdkLoader).getMethod("create").invoke(null);
        JSON_PARSERS.put(sdkLoader, parser);
      }
    }
    Object node;
    try {
      node = parser.getClass().getMethod("parse", byte[].class).invoke(parser, (Object) json);
    } catch (java.lang.reflect.InvocationTargetException notJson) {
      return null;
    }
    return readJsonNode(node);
  }

  /**
   * The id AWS gave the call ({@code x-amzn-RequestId}): from a response's {@code
   * responseMetadata()}, or from the service's exception ({@code AwsServiceException.requestId()});
   * null for anything else.
   */
  static String requestId(Object responseOrError) throws ReflectiveOperationException {
    Object id = null;
    if (responseOrError != null && hasMethod(responseOrError, "responseMetadata")) {
      Object metadata = call(responseOrError, "responseMetadata");
      id = metadata == null ? null : call(metadata, "requestId");
    } else if (responseOrError != null && hasMethod(responseOrError, "requestId")) {
      id = call(responseOrError, "requestId");
    }
    // The SDK answers "UNKNOWN" when the service sent no id.
    return id instanceof String && !"UNKNOWN".equals(id) ? (String) id : null;
  }

  /** The SDK's name of an event of an event stream ({@code contentBlockDelta}), or null. */
  static String eventType(Object event) throws ReflectiveOperationException {
    Object type = call(event, "sdkEventType");
    return type == null ? null : type.toString();
  }

  /** The value of a no-argument public method, found through the public type declaring it. */
  static Object call(Object target, String methodName) throws ReflectiveOperationException {
    return publicMethod(target.getClass(), methodName).invoke(target);
  }

  private static boolean hasMethod(Object target, String name) {
    try {
      target.getClass().getMethod(name);
      return true;
    } catch (NoSuchMethodException absent) {
      return false;
    }
  }

  private static Map<String, Object> readPojo(Object pojo) throws ReflectiveOperationException {
    Map<String, Object> members = new LinkedHashMap<>();
    for (Object field : (List<?>) call(pojo, "sdkFields")) {
      Method getValue = publicMethod(field.getClass(), "getValueOrDefault", Object.class);
      Object member = read(getValue.invoke(field, pojo));
      if (member != null) {
        members.put((String) call(field, "memberName"), member);
      }
    }
    return members;
  }

  private static Object readJsonNode(Object node) throws ReflectiveOperationException {
    if ((Boolean) call(node, "isObject")) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (Map.Entry<?, ?> entry : ((Map<?, ?>) call(node, "asObject")).entrySet()) {
        map.put(String.valueOf(entry.getKey()), readJsonNode(entry.getValue()));
      }
      return map;
    }
    if ((Boolean) call(node, "isArray")) {
      List<Object> list = new ArrayList<>();
      for (Object item : (List<?>) call(node, "asArray")) {
        list.add(readJsonNode(item));
      }
      return list;
    }
    if ((Boolean) call(node, "isNull")) {
      return null;
    }
    if ((Boolean) call(node, "isNumber")) {
      return number((String) call(node, "asNumber"));
    }
    return call(node, (Boolean) call(node, "isBoolean") ? "asBoolean" : "asString");
  }

  private static Object readDocument(Object document) throws ReflectiveOperationException {
    if ((Boolean) call(document, "isNull")) {
      return null;
    }
    if ((Boolean) call(document, "isMap")) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (Map.Entry<?, ?> entry : ((Map<?, ?>) call(document, "asMap")).entrySet()) {
        map.put(String.valueOf(entry.getKey()), readDocument(entry.getValue()));
      }
      return map;
    }
    if ((Boolean) call(document, "isList")) {
      List<Object> list = new ArrayList<>();
      for (Object item : (List<?>) call(document, "asList")) {
        list.add(readDocument(item));
      }
      return list;
    }
    if ((Boolean) call(document, "isNumber")) {
      return number(call(document, "asNumber").toString());
    }
    return call(document, (Boolean) call(document, "isBoolean") ? "asBoolean" : "asString");
  }

  /** A Document number, kept exact: an integer as a Long, anything else as a BigDecimal. */
  private static Number number(String text) {
    try {
      return Long.valueOf(text);
    } catch (NumberFormatException notAnInteger) {
      return new java.math.BigDecimal(text);
    }
  }

  /**
   * The method as declared by a public class or interface of {@code type}'s hierarchy: SDK
   * implementation classes may be package-private, and reflection may only enter through a
   * public type.
   */
  private static Method publicMethod(Class<?> type, String name, Class<?>... parameters)
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
    if (java.lang.reflect.Modifier.isPublic(method.getDeclaringClass().getModifiers())) {
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
        if (!java.lang.reflect.Modifier.isPublic(candidate.getModifiers())) {
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

  private static boolean implementsInterface(Class<?> type, String name) {
    for (Class<?> current = type; current != null; current = current.getSuperclass()) {
      for (Class<?> candidate : current.getInterfaces()) {
        if (candidate.getName().equals(name) || implementsInterface(candidate, name)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean isClassNamed(Class<?> type, String name) {
    for (Class<?> current = type; current != null; current = current.getSuperclass()) {
      if (current.getName().equals(name)) {
        return true;
      }
    }
    return false;
  }
}
