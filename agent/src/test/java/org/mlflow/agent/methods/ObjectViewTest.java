package org.mlflow.agent.methods;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ObjectViewTest {

  enum Tone { FRIENDLY }

  record Question(String text, int attempts, Tone tone, List<String> tags) {}

  /** A class whose methods must never run when it is read. */
  static class Guarded {
    private final String secretFree = "kept";
    private transient String cache = "skipped";
    private static String shared = "skipped";
    private Guarded self = this;

    public String getSecretFree() {
      throw new AssertionError("a getter ran");
    }

    @Override
    public String toString() {
      throw new AssertionError("toString ran");
    }

    @Override
    public int hashCode() {
      throw new AssertionError("hashCode ran");
    }

    @Override
    public boolean equals(Object other) {
      throw new AssertionError("equals ran");
    }
  }

  static class Base {
    protected String id = "b-1";
  }

  static class Derived extends Base {
    private double score = 0.5;
  }

  static class Node {
    Node next;
  }

  @Test
  void jdkValuesAreReadAsWhatTheyAre() {
    assertEquals(null, ObjectView.of(null));
    assertEquals("hi", ObjectView.of("hi"));
    assertEquals(42, ObjectView.of(42));
    assertEquals(true, ObjectView.of(true));
    assertEquals("x", ObjectView.of('x'));
    assertEquals("12.50", ObjectView.of(new BigDecimal("12.50")));
    assertEquals("FRIENDLY", ObjectView.of(Tone.FRIENDLY));
    assertEquals("PT1S", ObjectView.of(Duration.ofSeconds(1)));
    assertEquals("00000000-0000-0000-0000-000000000001",
        ObjectView.of(new UUID(0, 1)));
    assertEquals(Paths.get("a", "b").toString(), ObjectView.of(Paths.get("a", "b")));
    assertEquals(List.of(1, 2), ObjectView.of(new int[] {1, 2}));
    assertEquals(List.of("a"), ObjectView.of(Optional.of(List.of("a"))));
    Map<Object, Object> map = new LinkedHashMap<>();
    map.put(1, "one");
    map.put(Tone.FRIENDLY, List.of());
    assertEquals(Map.of("1", "one", "FRIENDLY", List.of()), ObjectView.of(map));
  }

  @Test
  void recordsAndObjectsAreReadByTheirFieldsWithoutRunningTheirCode() {
    assertEquals(Map.of("text", "What is MLflow?", "attempts", 2, "tone", "FRIENDLY",
            "tags", List.of("faq")),
        ObjectView.of(new Question("What is MLflow?", 2, Tone.FRIENDLY, List.of("faq"))));
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("secretFree", "kept");
    expected.put("self", "<" + Guarded.class.getName() + ">");
    assertEquals(expected, ObjectView.of(new Guarded()));
    assertEquals(Map.of("score", 0.5, "id", "b-1"), ObjectView.of(new Derived()));
  }

  @Test
  void depthItemsAndJdkInternalsAreBounded() {
    Node head = new Node();
    Node node = head;
    for (int i = 0; i < 20; i++) {
      node.next = new Node();
      node = node.next;
    }
    Object view = ObjectView.of(head);
    int depth = 0;
    while (view instanceof Map) {
      view = ((Map<?, ?>) view).get("next");
      depth++;
    }
    assertEquals(ObjectView.MAX_DEPTH, depth);
    assertEquals("<" + Node.class.getName() + ">", view);

    List<Integer> many = new ArrayList<>(Arrays.asList(new Integer[500]));
    assertEquals(ObjectView.MAX_ITEMS, ((List<?>) ObjectView.of(many)).size());
    assertEquals("<java.lang.Thread>", ObjectView.of(Thread.currentThread()));
  }
}
