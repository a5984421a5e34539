package org.mlflow.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoundSpansTest {

  private static Span span(String name) {
    return new Span(1, 2, name.hashCode(), 0, name, "CHAT_MODEL", "k", 0, null, null);
  }

  @Test
  void findsEachResponseByIdentityUntilItIsRemoved() {
    BoundSpans open = new BoundSpans();
    String first = new String("same text");
    String second = new String("same text");
    Span firstSpan = span("first");
    Span secondSpan = span("second");

    assertTrue(open.add(first, firstSpan));
    assertTrue(open.add(second, secondSpan));
    assertSame(firstSpan, open.find(first));
    assertSame(secondSpan, open.find(second), "equal responses are still told apart");
    assertNull(open.find("same text"));

    open.remove(first);
    assertNull(open.find(first));
    assertSame(secondSpan, open.find(second));
  }

  @Test
  void entriesOfEndedSpansAreDroppedOnTheNextChange() {
    BoundSpans open = new BoundSpans();
    Span ended = span("ended");
    Object response = new Object();
    open.add(response, ended);
    ended.tryFinish(1, null, null);

    open.add(new Object(), span("next"));
    assertEquals(1, open.size());
    assertNull(open.find(response));
  }

  @Test
  void isBoundedAndSaysSoInsteadOfGrowing() {
    BoundSpans open = new BoundSpans();
    List<Object> responses = new ArrayList<>();
    for (int i = 0; i < BoundSpans.MAX_BOUND; i++) {
      Object response = new Object();
      responses.add(response);
      assertTrue(open.add(response, span("s" + i)));
    }
    assertFalse(open.add(new Object(), span("one too many")));
    assertEquals(BoundSpans.MAX_BOUND, open.size());
  }

  @Test
  void concurrentAddsAndRemovesLoseNothing() throws Exception {
    BoundSpans open = new BoundSpans();
    int threads = 4;
    int perThread = 200;
    List<Thread> workers = new ArrayList<>();
    List<Object> kept = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int t = 0; t < threads; t++) {
      Thread worker = new Thread(() -> {
        for (int i = 0; i < perThread; i++) {
          Object removed = new Object();
          Object stays = new Object();
          kept.add(stays);
          open.add(removed, span("r"));
          open.add(stays, span("s"));
          open.remove(removed);
        }
      });
      workers.add(worker);
      worker.start();
    }
    for (Thread worker : workers) {
      worker.join();
    }
    assertEquals(threads * perThread, open.size());
    for (Object response : kept) {
      assertTrue(open.find(response) != null);
    }
  }
}
