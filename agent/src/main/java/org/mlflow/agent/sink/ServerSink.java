package org.mlflow.agent.sink;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.mlflow.agent.AgentLog;
import org.mlflow.agent.export.ExportedTrace;
import org.mlflow.agent.export.JsonCodec;
import org.mlflow.agent.export.MlflowJson;

/**
 * Delivers traces to an MLflow tracking server (or an OTLP collector: the {@link TraceDelivery}
 * says how) without ever losing one or holding up the agent.
 *
 * <p>Finished traces wait in a queue bounded in bytes for the sender thread, which sends them one
 * by one and retries what failed for a reason that may pass (connection errors, timeouts, 408, 429
 * and 5xx) with exponential backoff and jitter, honouring Retry-After. When the retries run out,
 * or the queue is full, traces go to the {@link Spool} on disk (written by the sender thread while the
 * server is down, so the exporter thread is not held up); the server is then probed now and
 * then, and once it answers the spool is sent, oldest first, including what earlier runs left.
 * A trace the server refuses for good (another 4xx) is logged once with the server's message,
 * counted, and kept in the folder's {@code rejected/} for the user. At exit the sender gets a
 * deadline; what it has not sent by then is spooled, so the next run delivers it.
 */
public final class ServerSink implements TraceSink {

  static final int MAX_ATTEMPTS = 6;
  static final long PROBE_INTERVAL_MILLIS = TimeUnit.SECONDS.toMillis(10);

  private final TraceDelivery client;
  private final Spool spool;
  private final Spool rejectedStore;
  private final long maxQueuedBytes;
  private final long flushTimeoutMillis;
  private final Backoff backoff;
  private final long probeIntervalMillis;
  private final Thread sender;

  private final Deque<Delivery> queue = new ArrayDeque<>();
  private long queuedBytes;
  private volatile boolean serverDown;
  private volatile boolean closing;
  /** When the JVM's exit must be over (epoch millis); none until {@link #exitBy}. */
  private volatile long exitDeadlineMillis = Long.MAX_VALUE;
  private volatile Delivery inFlight;
  /** True while the sender is talking to the server (a queued trace or the spool). */
  private volatile boolean sending;
  /** When the sender may next ask a server that is down whether it is back (epoch millis). */
  private long nextProbeMillis;

  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong retried = new AtomicLong();
  private final AtomicLong spooled = new AtomicLong();
  private final AtomicLong replayed = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong lost = new AtomicLong();

  /**
   * @param rejectedStore where traces the server refuses for good are kept for the user
   */
  public ServerSink(TraceDelivery client, Spool spool, Spool rejectedStore,
      long maxQueuedBytes, long flushTimeoutMillis) {
    this(client, spool, rejectedStore, maxQueuedBytes, flushTimeoutMillis,
        new Backoff(500, 30_000), PROBE_INTERVAL_MILLIS);
  }

  ServerSink(TraceDelivery client, Spool spool, Spool rejectedStore, long maxQueuedBytes,
      long flushTimeoutMillis, Backoff backoff, long probeIntervalMillis) {
    this.probeIntervalMillis = probeIntervalMillis;
    this.client = client;
    this.spool = spool;
    this.rejectedStore = rejectedStore;
    this.maxQueuedBytes = maxQueuedBytes;
    this.flushTimeoutMillis = flushTimeoutMillis;
    this.backoff = backoff;
    this.sender = new Thread(this::run, "mlflow-agent-sender");
    this.sender.setDaemon(true);
    this.sender.start();
  }

  @Override
  public void export(ExportedTrace trace) {
    Delivery delivery;
    try {
      delivery = new Delivery(trace.traceId(), MlflowJson.traceFileInfo(trace),
          JsonCodec.mapper().writeValueAsBytes(MlflowJson.spansDocument(trace.spans())));
    } catch (IOException impossible) {
      lost.incrementAndGet();
      AgentLog.errorOnce("server:serialize", "could not serialize a trace", impossible);
      return;
    }
    synchronized (queue) {
      // While the server is down the sender thread, idle between probes, writes the spool, so
      // the exporter thread goes on reading spans; a smaller bound keeps that backlog's memory low.
      long limit = serverDown ? maxQueuedBytes / 8 : maxQueuedBytes;
      if (!closing && queuedBytes + delivery.size() <= limit) {
        queue.addLast(delivery);
        queuedBytes += delivery.size();
        queue.notifyAll();
        return;
      }
    }
    toSpool(delivery); // the backlog is full (or the JVM exits): straight to disk, memory stays bounded
  }

  @Override
  public String describe() {
    return client.describe();
  }

  @Override
  public void exitBy(long deadlineMillis) {
    exitDeadlineMillis = deadlineMillis;
  }

  /**
   * Gives the sender until the flush deadline to send what is queued, then spools the rest.
   * Called by the exporter thread at JVM exit; returns within the deadline.
   */
  @Override
  public void close() {
    // Sending may use the time left before the exit deadline but a fifth of the flush timeout,
    // which is kept for spooling what is still queued: a close begun late (the exporter was slow
    // to drain) must not spend the spooling time waiting for the server.
    long deadline = Math.min(System.currentTimeMillis() + flushTimeoutMillis * 3 / 5,
        exitDeadlineMillis - flushTimeoutMillis / 5);
    synchronized (queue) {
      closing = true;
      queue.notifyAll();
      while ((!queue.isEmpty() || sending) && sender.isAlive() && !serverDown) {
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          break;
        }
        try {
          queue.wait(left);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    sender.interrupt(); // ends a backoff wait; an HTTP call in progress ends by its own timeout
    Delivery stillSending = inFlight;
    if (stillSending != null) {
      toSpool(stillSending); // sent twice at worst: the server keeps one trace per id
    }
    Delivery left;
    while ((left = poll()) != null) {
      toSpool(left);
    }
    printSummary();
  }

  private void run() {
    sending = true;
    replaySpool();
    sending = false;
    // At close the sender keeps sending what is queued (without retries) until the deadline.
    while (!closing || (!serverDown && hasQueued())) {
      Delivery delivery = take();
      if (delivery != null) {
        try {
          if (serverDown) {
            toSpool(delivery); // the probe below says when the server is back
          } else {
            deliver(delivery);
          }
        } catch (RuntimeException | Error unexpected) {
          AgentLog.errorOnce("server:sender", "the trace sender failed on a trace", unexpected);
          toSpool(delivery);
        }
        inFlight = null;
        sending = false;
        synchronized (queue) {
          queue.notifyAll(); // close() waits for the queue to empty
        }
      }
      if (serverDown && !closing && System.currentTimeMillis() >= nextProbeMillis) {
        nextProbeMillis = System.currentTimeMillis() + probeIntervalMillis;
        try {
          client.checkHealth();
          serverDown = false;
          AgentLog.info("the MLflow server answers again; sending the traces kept in "
              + spool.folder());
          sending = true;
          replaySpool();
          sending = false;
          synchronized (queue) {
            queue.notifyAll();
          }
        } catch (DeliveryException stillDown) {
          probeNoSoonerThanAsked(stillDown);
        }
      }
    }
  }

  private void deliver(Delivery delivery) {
    for (int attempt = 0; ; attempt++) {
      try {
        client.send(delivery.traceId(), delivery.info(), delivery.spansJson());
        sent.incrementAndGet();
        return;
      } catch (DeliveryException failure) {
        if (failure.settingsProblem()) {
          markDown(failure); // credentials or TLS trust: kept until the user fixes them
          toSpool(delivery);
          return;
        }
        if (!failure.retryable()) {
          reject(delivery.traceId(), delivery.info(), delivery.spansJson(), failure);
          return;
        }
        warnUnreachable(failure);
        if (closing) {
          // Exiting: this trace and every one still queued go to the spool now, for the next
          // run, rather than one more request each to a server that asked to be left alone
          // (429, 503) or holds each request until it times out.
          markDown(failure);
          toSpool(delivery);
          return;
        }
        if (attempt + 1 >= MAX_ATTEMPTS
            || !pause(backoff.delayMillis(attempt, failure.retryAfterMillis()))) {
          markDown(failure);
          toSpool(delivery);
          return;
        }
        retried.incrementAndGet();
      }
    }
  }

  /**
   * Sends what the spool holds, oldest first; stops at the first failure that may pass. At exit it
   * goes on until close()'s deadline interrupts it: the first send to a server can take a second
   * or more (a fresh MLflow server loads its OTLP code then), longer than a short app runs.
   */
  private void replaySpool() {
    for (java.nio.file.Path file : spool.pending()) {
      if (serverDown) {
        return;
      }
      Spool.Claim claim = spool.claim(file);
      if (claim == null) {
        continue;
      }
      try {
        client.send(claim.traceId(), claim.info(), claim.spansJson());
        claim.delivered();
        replayed.incrementAndGet();
      } catch (DeliveryException failure) {
        if (failure.retryable() || failure.settingsProblem()) {
          claim.release();
          markDown(failure);
          return;
        }
        reject(claim.traceId(), claim.info(), claim.spansJson(), failure);
        claim.delivered();
      }
    }
  }

  private void warnUnreachable(DeliveryException failure) {
    if (failure.settingsProblem()) {
      AgentLog.warnOnce("server:settings", "the " + describe() + " did not take traces: "
          + failure.getMessage() + ". Traces are kept in " + spool.folder() + " and sent once"
          + " it takes them", null);
      return;
    }
    AgentLog.warnOnce("server:down", "could not send traces to the " + describe()
        + "; retrying, then keeping them in " + spool.folder()
        + " and sending them when it answers again", failure);
  }

  private void markDown(DeliveryException failure) {
    if (!serverDown) {
      serverDown = true;
      warnUnreachable(failure);
    }
    probeNoSoonerThanAsked(failure);
    Delivery queued;
    while ((queued = poll()) != null) {
      toSpool(queued);
    }
  }

  /** A server that said when to come back (Retry-After, capped) is not probed before. */
  private void probeNoSoonerThanAsked(DeliveryException failure) {
    if (failure.retryAfterMillis() >= 0) {
      nextProbeMillis = Math.max(nextProbeMillis,
          System.currentTimeMillis() + backoff.delayMillis(0, failure.retryAfterMillis()));
    }
  }

  private void reject(String traceId, Map<String, Object> info, byte[] spansJson,
      DeliveryException failure) {
    rejected.incrementAndGet();
    AgentLog.warnOnce("server:rejected:" + failure.getMessage().split(":")[0],
        "the " + describe() + " refused a trace (kept in " + rejectedStore.folder() + "): "
            + failure.getMessage(), null);
    try {
      if (!rejectedStore.store(traceId, info, spansJson)) {
        lost.incrementAndGet();
      }
    } catch (IOException cannotKeep) {
      lost.incrementAndGet();
    }
  }

  private void toSpool(Delivery delivery) {
    try {
      if (spool.store(delivery.traceId(), delivery.info(), delivery.spansJson())) {
        spooled.incrementAndGet();
        return;
      }
      AgentLog.warnOnce("spool:full", "the spool " + spool.folder() + " is full"
          + " (MLFLOW_AGENT_SPOOL_MAX_MB); traces that do not fit are dropped and counted", null);
    } catch (IOException cannotWrite) {
      AgentLog.warnOnce("spool:write", "cannot write to the spool " + spool.folder()
          + "; traces that cannot be kept are dropped and counted", cannotWrite);
    }
    lost.incrementAndGet();
  }

  /** The next queued trace, marked in flight under the queue's lock so close() sees it. */
  private Delivery take() {
    synchronized (queue) {
      if (queue.isEmpty() && !closing) {
        try {
          queue.wait(serverDown ? probeIntervalMillis : 1000);
        } catch (InterruptedException interrupted) {
          return null;
        }
      }
      Delivery delivery = pollLocked();
      if (delivery != null) {
        inFlight = delivery;
        sending = true;
      }
      return delivery;
    }
  }

  private boolean hasQueued() {
    synchronized (queue) {
      return !queue.isEmpty();
    }
  }

  private Delivery poll() {
    synchronized (queue) {
      return pollLocked();
    }
  }

  private Delivery pollLocked() {
    Delivery delivery = queue.pollFirst();
    if (delivery != null) {
      queuedBytes -= delivery.size();
    }
    return delivery;
  }

  /** Waits before the next attempt; false when interrupted by close. */
  private boolean pause(long millis) {
    try {
      Thread.sleep(millis);
      return true;
    } catch (InterruptedException interrupted) {
      return false;
    }
  }

  private void printSummary() {
    if (sent.get() + replayed.get() > 0) {
      AgentLog.info((sent.get() + replayed.get()) + " trace(s) sent to " + describe()
          + (replayed.get() > 0 ? " (" + replayed.get() + " from the spool)" : ""));
    }
    if (spooled.get() + rejected.get() + lost.get() + retried.get() > 0) {
      AgentLog.warn("delivery: retried " + retried.get() + ", kept in the spool " + spooled.get()
          + " (" + spool.folder() + ", sent by a later run or `upload`), refused by the server "
          + rejected.get() + ", lost " + lost.get());
    }
  }

  /**
   * Counters for tests, JMX and the summaries: sent, retried, spooled, replayed, rejected, lost,
   * and queued (traces waiting in memory now).
   */
  @Override
  public Map<String, Long> counters() {
    long queued;
    synchronized (queue) {
      queued = queue.size();
    }
    return Map.of("sent", sent.get(), "retried", retried.get(), "spooled", spooled.get(),
        "replayed", replayed.get(), "rejected", rejected.get(), "lost", lost.get(),
        "queued", queued);
  }

  /** One trace on its way: small info, spans already serialized. */
  private static final class Delivery {
    private final String traceId;
    private final Map<String, Object> info;
    private final byte[] spansJson;

    Delivery(String traceId, Map<String, Object> info, byte[] spansJson) {
      this.traceId = traceId;
      this.info = info;
      this.spansJson = spansJson;
    }

    String traceId() {
      return traceId;
    }

    Map<String, Object> info() {
      return info;
    }

    byte[] spansJson() {
      return spansJson;
    }

    long size() {
      return spansJson.length + 2048L; // the info map, roughly
    }
  }
}
