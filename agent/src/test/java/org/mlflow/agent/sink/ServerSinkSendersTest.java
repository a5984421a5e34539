package org.mlflow.agent.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the pool of sender threads must keep: every trace settled once, and one pace for all. */
class ServerSinkSendersTest {

  private static final int SENDERS = 4;

  @TempDir
  Path folder;

  private Spool spool() {
    return new Spool(folder.resolve("unsent"), Long.MAX_VALUE);
  }

  private ServerSink sink(TraceDelivery delivery, Spool spool, long flushTimeoutMillis,
      Backoff backoff) {
    return new ServerSink(delivery, spool, new Spool(folder.resolve("rejected"), Long.MAX_VALUE),
        1 << 24, flushTimeoutMillis, backoff, 50, SENDERS);
  }

  @Test
  void theSendersSendAtOnceAndEveryTraceExactlyOnce() throws Exception {
    // Once the server took a first trace, the next calls wait until every sender is in one: with
    // a single sender this never happens.
    CountDownLatch allSending = new CountDownLatch(SENDERS);
    Map<String, AtomicInteger> sends = new ConcurrentHashMap<>();
    FakeDelivery delivery = new FakeDelivery((traceId, call) -> {
      sends.computeIfAbsent(traceId, id -> new AtomicInteger()).incrementAndGet();
      if (call == 1) {
        return;
      }
      allSending.countDown();
      if (!allSending.await(20, TimeUnit.SECONDS)) {
        throw new AssertionError("the senders never sent at once");
      }
    });
    ServerSink sink = sink(delivery, spool(), 10_000, new Backoff(5, 20));
    int traces = 200;

    for (int i = 1; i <= traces; i++) {
      sink.export(ServerSinkTest.trace(i));
    }
    waitUntil(() -> sink.counters().get("sent") == traces);
    sink.close();

    assertEquals(traces, sends.size());
    assertTrue(sends.values().stream().allMatch(count -> count.get() == 1), sends.toString());
    assertEquals(traces, sink.counters().get("sent"));
    assertEquals(0L, sink.counters().get("spooled"));
    assertEquals(0L, sink.counters().get("lost"));
  }

  @Test
  void atTheExitDeadlineEachTraceInFlightIsSpooledOnceAndCountedOnce() throws Exception {
    // Calls that outlive the exit deadline (as an HTTP call does until its own timeout), then
    // succeed: close() has spooled their traces by then, and they must not be counted again.
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch inFlight = new CountDownLatch(SENDERS);
    AtomicInteger returned = new AtomicInteger();
    FakeDelivery delivery = new FakeDelivery((traceId, call) -> {
      if (call == 1) {
        return; // the server takes a first trace: from then on every sender sends
      }
      inFlight.countDown();
      awaitUninterruptibly(release);
      returned.incrementAndGet();
    });
    Spool spool = spool();
    ServerSink sink = sink(delivery, spool, 500, new Backoff(5, 20));
    sink.export(ServerSinkTest.trace(0));
    waitUntil(() -> sink.counters().get("sent") == 1L);
    int traces = 10;
    for (int i = 1; i <= traces; i++) {
      sink.export(ServerSinkTest.trace(i));
    }
    assertTrue(inFlight.await(20, TimeUnit.SECONDS), "every sender took a trace");

    assertTimeoutPreemptively(Duration.ofSeconds(10), sink::close);
    assertEquals(traces, spool.pending().size(), "queued and in-flight traces are spooled");
    release.countDown();
    waitUntil(() -> returned.get() == SENDERS);
    waitUntil(() -> !delivery.senderThreadsAlive());

    assertEquals(1 + SENDERS, delivery.calls.size(), "no sender took a trace after the deadline");
    assertEquals(Map.of("sent", 1L, "spooled", (long) traces, "lost", 0L, "rejected", 0L),
        Map.of("sent", sink.counters().get("sent"), "spooled", sink.counters().get("spooled"),
            "lost", sink.counters().get("lost"), "rejected", sink.counters().get("rejected")));
  }

  @Test
  void aRetryAfterHoldsBackEverySenderNotOnlyTheOneThatWasToldToWait() throws Exception {
    long retryAfterMillis = 1_000;
    AtomicReference<ServerSink> sinkRef = new AtomicReference<>();
    AtomicLong refusedAt = new AtomicLong();
    CountDownLatch firstRound = new CountDownLatch(SENDERS);
    List<Long> laterCallStarts = new CopyOnWriteArrayList<>();
    FakeDelivery delivery = new FakeDelivery((traceId, call) -> {
      if (call == 1) {
        return; // the server takes a first trace: from then on every sender sends
      }
      if (call > 1 + SENDERS) {
        laterCallStarts.add(System.currentTimeMillis());
        return;
      }
      firstRound.countDown();
      assertTrue(firstRound.await(20, TimeUnit.SECONDS), "every sender took a trace");
      if (call == 2) {
        refusedAt.set(System.currentTimeMillis());
        throw DeliveryException.httpStatus("HTTP 429", 429, true, retryAfterMillis);
      }
      // The others come back only once the refused sender has begun its wait, then take the
      // next traces: they must wait with it.
      waitUntil(() -> sinkRef.get().counters().get("retried") == 1L);
    });
    ServerSink sink = sink(delivery, spool(), 10_000, new Backoff(5, 5_000));
    sinkRef.set(sink);
    sink.export(ServerSinkTest.trace(0));
    waitUntil(() -> sink.counters().get("sent") == 1L);
    int traces = 3 * SENDERS;

    for (int i = 1; i <= traces; i++) {
      sink.export(ServerSinkTest.trace(i));
    }
    waitUntil(() -> sink.counters().get("sent") == 1 + traces);
    sink.close();

    assertEquals(traces, laterCallStarts.size() + SENDERS - 1, "every trace sent once more");
    long earliest = laterCallStarts.stream().mapToLong(Long::longValue).min().orElseThrow();
    // A lower bound only (a slow machine makes the wait longer, never shorter).
    assertTrue(earliest - refusedAt.get() >= retryAfterMillis,
        "a sender sent " + (earliest - refusedAt.get()) + " ms after the 429");
    assertEquals(1L, sink.counters().get("retried"));
  }

  @Test
  void aServerThatKeepsAskingToWaitGetsOneRequestPerWaitFromAllTheSenders() throws Exception {
    long retryAfterMillis = 300;
    List<Long> callStarts = new CopyOnWriteArrayList<>();
    FakeDelivery delivery = new FakeDelivery((traceId, call) -> {
      callStarts.add(System.currentTimeMillis());
      throw DeliveryException.httpStatus("HTTP 429", 429, true, retryAfterMillis);
    });
    Spool spool = spool();
    ServerSink sink = sink(delivery, spool, 10_000, new Backoff(5, 5_000));
    int traces = 2 * SENDERS;

    for (int i = 1; i <= traces; i++) {
      sink.export(ServerSinkTest.trace(i));
    }
    waitUntil(() -> sink.counters().get("spooled") == traces);
    sink.close();

    assertTrue(callStarts.size() >= ServerSink.MAX_ATTEMPTS, callStarts.toString());
    List<Long> gaps = new java.util.ArrayList<>();
    for (int i = 1; i < callStarts.size(); i++) {
      gaps.add(callStarts.get(i) - callStarts.get(i - 1));
    }
    // Lower bounds only (a slow machine makes the waits longer, never shorter).
    assertTrue(gaps.stream().allMatch(gap -> gap >= retryAfterMillis), gaps.toString());
    assertEquals(traces, spool.pending().size());
    assertEquals(0L, sink.counters().get("lost"));
  }

  @Test
  void aServerDownIsProbedByOneSenderAndItsSpoolSentOnce() throws Exception {
    AtomicInteger probes = new AtomicInteger();
    AtomicReference<Boolean> up = new AtomicReference<>(false);
    Map<String, AtomicInteger> sends = new ConcurrentHashMap<>();
    FakeDelivery delivery = new FakeDelivery((traceId, call) -> {
      if (!up.get()) {
        throw new DeliveryException("connection refused", true, -1, null);
      }
      sends.computeIfAbsent(traceId, id -> new AtomicInteger()).incrementAndGet();
    }) {
      @Override
      public void checkHealth() throws DeliveryException {
        probes.incrementAndGet();
        if (!up.get()) {
          throw new DeliveryException("connection refused", true, -1, null);
        }
      }
    };
    Spool spool = spool();
    ServerSink sink = sink(delivery, spool, 10_000, new Backoff(1, 2));
    int traces = 20;
    for (int i = 1; i <= traces; i++) {
      sink.export(ServerSinkTest.trace(i));
    }
    waitUntil(() -> sink.counters().get("spooled") == traces);
    waitUntil(() -> probes.get() >= 1);

    up.set(true);
    waitUntil(() -> sink.counters().get("replayed") == traces);
    sink.close();

    assertTrue(spool.pending().isEmpty());
    assertEquals(traces, sends.size());
    assertTrue(sends.values().stream().allMatch(count -> count.get() == 1), sends.toString());
    assertEquals(0L, sink.counters().get("sent"), "all of them went through the spool");
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    boolean interrupted = false;
    while (true) {
      try {
        latch.await();
        break;
      } catch (InterruptedException ignored) {
        interrupted = true; // as an HTTP call that runs to its own timeout
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static void waitUntil(BooleanSupplier condition) throws Exception {
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
      while (!condition.getAsBoolean()) {
        Thread.sleep(10);
      }
    });
  }

  /** What a fake server does with one call: the trace's id and the call's number (from 1). */
  @FunctionalInterface
  interface Answer {
    void answer(String traceId, int call) throws Exception;
  }

  /** A backend in the test's hands; counts every call and the threads that made them. */
  static class FakeDelivery implements TraceDelivery {

    final List<String> calls = new CopyOnWriteArrayList<>();
    private final Set<Thread> callers = ConcurrentHashMap.newKeySet();
    private final AtomicInteger callCount = new AtomicInteger();
    private final Answer answer;

    FakeDelivery(Answer answer) {
      this.answer = answer;
    }

    @Override
    public void send(String traceId, Map<String, Object> info, byte[] spansJson)
        throws DeliveryException {
      callers.add(Thread.currentThread());
      calls.add(traceId);
      try {
        answer.answer(traceId, callCount.incrementAndGet());
      } catch (DeliveryException | RuntimeException | Error failure) {
        throw failure;
      } catch (Exception unexpected) {
        throw new AssertionError(unexpected);
      }
    }

    boolean senderThreadsAlive() {
      return callers.stream().anyMatch(Thread::isAlive);
    }

    @Override
    public void checkHealth() throws DeliveryException {}

    @Override
    public String describe() {
      return "fake server";
    }

    @Override
    public void close() {}
  }
}
