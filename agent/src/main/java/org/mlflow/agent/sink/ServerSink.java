package org.mlflow.agent.sink;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.mlflow.agent.AgentLog;
import org.mlflow.agent.config.AgentConfig;
import org.mlflow.agent.export.ExportedTrace;
import org.mlflow.agent.export.JsonCodec;
import org.mlflow.agent.export.MlflowJson;

/**
 * Delivers traces to an MLflow tracking server (or an OTLP collector: the {@link TraceDelivery}
 * says how) without ever losing one or holding up the agent.
 *
 * <p>Finished traces wait in a queue bounded in bytes for a small pool of sender threads, each
 * sending one trace at a time: a server takes several times more traces from concurrent requests
 * than from one connection, as each trace costs it a few round trips and a store write. A sender
 * retries what failed for a reason that may pass (connection errors, timeouts, 408, 429 and 5xx)
 * with exponential backoff and jitter, honouring Retry-After; the wait holds back every sender,
 * not only the one that was told to wait, and after it one sender alone asks again
 * ({@link SenderGate}). When the retries run out, or the queue is full, traces
 * go to the {@link Spool} on disk (written by the senders while the server is down, so the
 * exporter thread is not held up); the server is then probed now and then by one sender, and once
 * it answers the spool is sent, oldest first, including what earlier runs left. A trace the server
 * refuses for good (another 4xx) is logged once with the server's message, counted, and kept in
 * the folder's {@code rejected/} for the user. At exit the senders get a deadline; what they have
 * not sent by then is spooled, so the next run delivers it.
 *
 * <p>Each trace is settled (sent, spooled, refused) exactly once: a sender owns the trace it took,
 * and a trace still in flight at the exit deadline is spooled by whichever of its sender and
 * {@link #close()} settles it first.
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
  private final List<Thread> senders = new ArrayList<>();

  /** Guards the queue, its byte count, the traces in flight, the busy count and the probe time. */
  private final Deque<Delivery> queue = new ArrayDeque<>();
  private long queuedBytes;
  private final Set<Delivery> inFlight = new LinkedHashSet<>();
  /** Senders talking to the server now (a queued trace or the spool). */
  private int busy;
  /** Set by close() at its deadline: no sender takes another trace. */
  private boolean stopped;
  /** When a sender may next ask a server that is down whether it is back (epoch millis). */
  private long nextProbeMillis;

  private volatile boolean serverDown;
  private volatile boolean closing;
  /** When the JVM's exit must be over (epoch millis); none until {@link #exitBy}. */
  private volatile long exitDeadlineMillis = Long.MAX_VALUE;
  /** Holds every sender back for the backoff a failure, or Retry-After, asked. */
  private final SenderGate gate = new SenderGate();
  /** One sender at a time sends the spool. */
  private final AtomicBoolean replaying = new AtomicBoolean();
  private final AtomicBoolean replayWanted = new AtomicBoolean();

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
        AgentConfig.DEFAULT_SENDER_THREADS);
  }

  /**
   * @param rejectedStore where traces the server refuses for good are kept for the user
   * @param senderThreads how many traces are sent at once (1 or more)
   */
  public ServerSink(TraceDelivery client, Spool spool, Spool rejectedStore,
      long maxQueuedBytes, long flushTimeoutMillis, int senderThreads) {
    this(client, spool, rejectedStore, maxQueuedBytes, flushTimeoutMillis,
        new Backoff(500, 30_000), PROBE_INTERVAL_MILLIS, senderThreads);
  }

  ServerSink(TraceDelivery client, Spool spool, Spool rejectedStore, long maxQueuedBytes,
      long flushTimeoutMillis, Backoff backoff, long probeIntervalMillis, int senderThreads) {
    if (senderThreads < 1) {
      throw new IllegalArgumentException("senderThreads must be 1 or more: " + senderThreads);
    }
    this.probeIntervalMillis = probeIntervalMillis;
    this.client = client;
    this.spool = spool;
    this.rejectedStore = rejectedStore;
    this.maxQueuedBytes = maxQueuedBytes;
    this.flushTimeoutMillis = flushTimeoutMillis;
    this.backoff = backoff;
    for (int i = 0; i < senderThreads; i++) {
      boolean first = i == 0; // sends what earlier runs spooled while the others take new traces
      Thread sender = new Thread(() -> run(first),
          senderThreads == 1 ? "mlflow-agent-sender" : "mlflow-agent-sender-" + (i + 1));
      sender.setDaemon(true);
      senders.add(sender);
    }
    senders.forEach(Thread::start);
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
      // While the server is down the senders, idle between probes, write the spool, so
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
   * Gives the senders until the flush deadline to send what is queued, then spools the rest.
   * Called by the exporter thread at JVM exit; returns within the deadline.
   */
  @Override
  public void close() {
    // Sending may use the time left before the exit deadline but a fifth of the flush timeout,
    // which is kept for spooling what is still queued: a close begun late (the exporter was slow
    // to drain) must not spend the spooling time waiting for the server.
    long start = System.currentTimeMillis();
    long deadline = Math.min(start + flushTimeoutMillis * 3 / 5,
        exitDeadlineMillis - flushTimeoutMillis / 5);
    List<Delivery> stillSending;
    synchronized (queue) {
      closing = true;
      queue.notifyAll();
      while ((!queue.isEmpty() || busy > 0) && anySenderAlive() && !serverDown
          && waitForSenders(deadline)) {
        // the senders notify as each trace is settled
      }
      // From here every trace is either still queued or in flight: none is between the two.
      stopped = true;
      stillSending = new ArrayList<>(inFlight);
    }
    // Ends a backoff wait; an HTTP call in progress ends by its own timeout.
    senders.forEach(Thread::interrupt);
    Set<Delivery> spooledHere = new HashSet<>();
    for (Delivery delivery : stillSending) {
      if (delivery.settle()) {
        toSpool(delivery); // sent twice at worst: the server keeps one trace per id
        spooledHere.add(delivery);
      }
    }
    Delivery left;
    while ((left = poll()) != null) {
      toSpool(left);
    }
    awaitSendersSettling(spooledHere, Math.min(start + flushTimeoutMillis, exitDeadlineMillis));
    printSummary();
  }

  /**
   * Waits for the traces a sender settled itself as close() came (a spool or rejected file being
   * written, a count being made): the JVM must not end halfway through that file.
   */
  private void awaitSendersSettling(Set<Delivery> spooledHere, long untilMillis) {
    synchronized (queue) {
      while (!spooledHere.containsAll(inFlight) && waitForSenders(untilMillis)) {
        // the senders notify as each trace is settled
      }
    }
  }

  /**
   * Waits on the queue's monitor (held by the caller) for a sender's notice, at most until {@code
   * untilMillis}. Returns false when that time has come or the wait was interrupted (the
   * interrupt is kept): the caller stops waiting.
   */
  private boolean waitForSenders(long untilMillis) {
    long left = untilMillis - System.currentTimeMillis();
    if (left <= 0) {
      return false;
    }
    try {
      queue.wait(left);
      return true;
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void run(boolean replayFirst) {
    if (replayFirst) {
      replay();
    }
    // At close the senders keep sending what is queued (without retries) until the deadline.
    while (!closing || (!serverDown && hasQueued())) {
      Delivery delivery = take();
      if (delivery != null) {
        try {
          if (serverDown) {
            spoolOnce(delivery); // the probe below says when the server is back
          } else {
            deliver(delivery);
          }
        } catch (RuntimeException | Error unexpected) {
          AgentLog.errorOnce("server:sender", "the trace sender failed on a trace", unexpected);
          spoolOnce(delivery);
        }
        synchronized (queue) {
          inFlight.remove(delivery);
          busy--;
          queue.notifyAll(); // close() waits for the queue to empty
        }
      } else if (isStopped()) {
        return;
      }
      if (serverDown && !closing && claimProbe()) {
        try {
          client.checkHealth();
          serverDown = false;
          AgentLog.info("the MLflow server answers again; sending the traces kept in "
              + spool.folder());
          replay();
        } catch (DeliveryException stillDown) {
          probeNoSoonerThanAsked(stillDown);
        }
      }
    }
  }

  private void deliver(Delivery delivery) {
    for (int attempt = 0; ; attempt++) {
      SenderGate.Pass pass = gate.enter();
      if (pass == null) {
        spoolOnce(delivery); // interrupted by close at its deadline
        return;
      }
      try {
        if (serverDown) {
          spoolOnce(delivery); // another sender found the server down while this one waited
          return;
        }
        client.send(delivery.traceId(), delivery.info(), delivery.spansJson());
        pass.answered();
        if (delivery.settle()) {
          sent.incrementAndGet();
        }
        return;
      } catch (DeliveryException failure) {
        if (failure.retryable()) {
          pass.mayPass(backoff.delayMillis(attempt, failure.retryAfterMillis()));
        } else {
          pass.answered();
        }
        if (failure.settingsProblem()) {
          markDown(failure); // credentials or TLS trust: kept until the user fixes them
          spoolOnce(delivery);
          return;
        }
        if (!failure.retryable()) {
          if (delivery.settle()) {
            reject(delivery.traceId(), delivery.info(), delivery.spansJson(), failure);
          }
          return;
        }
        warnUnreachable(failure);
        if (closing || attempt + 1 >= MAX_ATTEMPTS) {
          // Exiting: this trace and every one still queued go to the spool now, for the next
          // run, rather than one more request each to a server that asked to be left alone
          // (429, 503) or holds each request until it times out.
          markDown(failure);
          spoolOnce(delivery);
          return;
        }
        retried.incrementAndGet(); // the gate holds every sender back for the backoff
      } finally {
        pass.release();
      }
    }
  }

  /**
   * Sends the spool, or has the sender already sending it go over it once more when done (its
   * list of files may predate traces spooled since); counted busy so close() waits.
   */
  private void replay() {
    replayWanted.set(true);
    // Whichever of the two comes second sees the other: this sender's claim, or the wish.
    while (replayWanted.get() && replaying.compareAndSet(false, true)) {
      replayWanted.set(false);
      synchronized (queue) {
        busy++;
      }
      try {
        replaySpool();
      } finally {
        replaying.set(false);
        synchronized (queue) {
          busy--;
          queue.notifyAll();
        }
      }
    }
  }

  /** Whether this sender is the one to probe a server that is down now. */
  private boolean claimProbe() {
    synchronized (queue) {
      long now = System.currentTimeMillis();
      if (now < nextProbeMillis) {
        return false;
      }
      nextProbeMillis = now + probeIntervalMillis;
      return true;
    }
  }

  private boolean anySenderAlive() {
    for (Thread sender : senders) {
      if (sender.isAlive()) {
        return true;
      }
    }
    return false;
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
      SenderGate.Pass pass = gate.enter();
      if (pass == null) {
        return; // close's deadline: the file stays in the spool
      }
      try {
        Spool.Claim claim = spool.claim(file);
        if (claim == null) {
          continue;
        }
        try {
          client.send(claim.traceId(), claim.info(), claim.spansJson());
          pass.answered();
          claim.delivered();
          replayed.incrementAndGet();
        } catch (DeliveryException failure) {
          if (failure.retryable()) {
            pass.mayPass(backoff.delayMillis(0, failure.retryAfterMillis()));
          } else {
            pass.answered();
          }
          if (failure.retryable() || failure.settingsProblem()) {
            claim.release();
            markDown(failure);
            return;
          }
          reject(claim.traceId(), claim.info(), claim.spansJson(), failure);
          claim.delivered();
        }
      } finally {
        pass.release();
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
    while ((queued = takeToSpool()) != null) {
      spoolOnce(queued);
      synchronized (queue) {
        inFlight.remove(queued);
        queue.notifyAll(); // close() waits for traces being spooled
      }
    }
  }

  /** A server that said when to come back (Retry-After, capped) is not probed before. */
  private void probeNoSoonerThanAsked(DeliveryException failure) {
    if (failure.retryAfterMillis() >= 0) {
      long askedMillis =
          System.currentTimeMillis() + backoff.delayMillis(0, failure.retryAfterMillis());
      synchronized (queue) {
        nextProbeMillis = Math.max(nextProbeMillis, askedMillis);
      }
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

  /** Spools a trace that was in flight, unless its sender or close() already settled it. */
  private void spoolOnce(Delivery delivery) {
    if (delivery.settle()) {
      toSpool(delivery);
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

  /**
   * The next queued trace, marked in flight under the queue's lock so close() sees it; none once
   * close() stopped the senders.
   */
  private Delivery take() {
    synchronized (queue) {
      if (queue.isEmpty() && !closing) {
        try {
          queue.wait(serverDown ? probeIntervalMillis : 1000);
        } catch (InterruptedException interrupted) {
          return null;
        }
      }
      if (stopped) {
        return null;
      }
      Delivery delivery = pollLocked();
      if (delivery != null) {
        inFlight.add(delivery);
        busy++;
      }
      return delivery;
    }
  }

  /**
   * The next queued trace, to be spooled by this sender; in flight while it is written, so that
   * close() waits for the file. None once close() stopped the senders: it spools the rest.
   */
  private Delivery takeToSpool() {
    synchronized (queue) {
      Delivery delivery = stopped ? null : pollLocked();
      if (delivery != null) {
        inFlight.add(delivery);
      }
      return delivery;
    }
  }

  private boolean isStopped() {
    synchronized (queue) {
      return stopped;
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
    private final AtomicBoolean settled = new AtomicBoolean();

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

    /** True for the one caller that decides this trace's fate (sent, spooled or refused). */
    boolean settle() {
      return settled.compareAndSet(false, true);
    }
  }
}
