package org.mlflow.agent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SpanRingTest {

  @Test
  void keepsOrderAndHandsSlotsBackLapAfterLap() {
    SpanRing<Integer> ring = new SpanRing<>(4);
    List<Integer> drained = new ArrayList<>();
    for (int lap = 0; lap < 5; lap++) {
      for (int i = 0; i < 3; i++) {
        assertTrue(ring.offer(lap * 10 + i) >= 0);
      }
      ring.drain(drained::add, Integer.MAX_VALUE);
    }
    assertEquals(15, drained.size());
    assertEquals(List.of(40, 41, 42), drained.subList(12, 15));
    assertEquals(0, ring.dropped());
  }

  @Test
  void aFullRingDropsTheNewestAndCountsIt() {
    SpanRing<Integer> ring = new SpanRing<>(4);
    for (int i = 0; i < 4; i++) {
      assertEquals(i, ring.offer(i));
    }
    assertEquals(-1, ring.offer(99));
    assertEquals(-1, ring.offer(100));
    assertEquals(2, ring.dropped());
    List<Integer> drained = new ArrayList<>();
    assertEquals(2, ring.drain(drained::add, 2));
    assertEquals(List.of(0, 1), drained);
    assertTrue(ring.offer(4) >= 0, "drained slots are free again");
  }

  @Test
  void nullCannotBeOfferedBecauseItMarksAnEmptySlot() {
    SpanRing<Integer> ring = new SpanRing<>(4);
    assertThrows(NullPointerException.class, () -> ring.offer(null));
    assertEquals(0, ring.offer(7), "the refused null took no position");
  }

  @Test
  void waitingCountsWhatIsOfferedAndNotDrained() {
    SpanRing<Integer> ring = new SpanRing<>(4);
    ring.offer(1);
    ring.offer(2);
    ring.offer(3);
    ring.drain(value -> { }, 1);
    assertEquals(2, ring.waiting());
  }

  @Test
  void onlyPowersOfTwo() {
    assertThrows(IllegalArgumentException.class, () -> new SpanRing<>(1000));
  }

  @Test
  void manyProducersLoseAndDuplicateNothing() throws Exception {
    int producers = 4;
    int perProducer = 200_000;
    SpanRing<Long> ring = new SpanRing<>(1024);
    CountDownLatch go = new CountDownLatch(1);
    AtomicLong accepted = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      long base = (long) p << 32;
      Thread thread = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < perProducer; i++) {
          if (ring.offer(base + i) >= 0) {
            accepted.incrementAndGet();
          }
        }
      });
      thread.start();
      threads.add(thread);
    }
    Set<Long> seen = new HashSet<>();
    long[] lastPerProducer = new long[producers];
    java.util.Arrays.fill(lastPerProducer, -1);
    go.countDown();
    boolean running = true;
    while (running) {
      running = threads.stream().anyMatch(Thread::isAlive);
      ring.drain(value -> {
        assertTrue(seen.add(value), "duplicate " + value);
        int producer = (int) (value >>> 32);
        long sequence = value & 0xffffffffL;
        assertTrue(sequence > lastPerProducer[producer], "per-producer order kept");
        lastPerProducer[producer] = sequence;
      }, Integer.MAX_VALUE);
    }
    ring.drain(seen::add, Integer.MAX_VALUE);
    assertEquals(accepted.get(), seen.size());
    assertEquals((long) producers * perProducer, accepted.get() + ring.dropped());
  }
}
