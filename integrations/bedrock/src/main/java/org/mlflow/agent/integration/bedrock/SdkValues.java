package org.mlflow.agent.integration.bedrock;

import static org.mlflow.agent.integration.bedrock.PublicMethods.call;

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
 * <p>Used on the exporter thread only.
 */
final class SdkValues {

  private static final String SDK_POJO = "software.amazon.awssdk.core.SdkPojo";
  private static final String SDK_BYTES = "software.amazon.awssdk.core.SdkBytes";
  private static final String DOCUMENT = "software.amazon.awssdk.core.document.Document";
  private static final String AUTO_CONSTRUCT_LIST =
      "software.amazon.awssdk.core.util.SdkAutoConstructList";
  private static final String AUTO_CONSTRUCT_MAP =
      "software.amazon.awssdk.core.util.SdkAutoConstructMap";

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
   * The id AWS gave the call ({@code x-amzn-RequestId}): from a response's {@code
   * responseMetadata()}, or from the service's exception ({@code AwsServiceException.requestId()});
   * null for anything else.
   */
  static String requestId(Object responseOrError) throws ReflectiveOperationException {
    Object id = null;
    if (responseOrError != null && PublicMethods.has(responseOrError, "responseMetadata")) {
      Object metadata = call(responseOrError, "responseMetadata");
      id = metadata == null ? null : call(metadata, "requestId");
    } else if (responseOrError != null && PublicMethods.has(responseOrError, "requestId")) {
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

  private static Map<String, Object> readPojo(Object pojo) throws ReflectiveOperationException {
    Map<String, Object> members = new LinkedHashMap<>();
    for (Object field : (List<?>) call(pojo, "sdkFields")) {
      Method getValue = PublicMethods.find(field.getClass(), "getValueOrDefault", Object.class);
      Object member = read(getValue.invoke(field, pojo));
      if (member != null) {
        members.put((String) call(field, "memberName"), member);
      }
    }
    return members;
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
      return SdkJson.exactNumber(call(document, "asNumber").toString());
    }
    return call(document, (Boolean) call(document, "isBoolean") ? "asBoolean" : "asString");
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
