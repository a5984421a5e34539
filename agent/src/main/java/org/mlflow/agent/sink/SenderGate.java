package org.mlflow.agent.sink;

/**
 * Paces a pool of senders as one client. While the server takes requests, every sender sends.
 * After a failure that may pass (busy, restarting, asked to wait with Retry-After), no sender sends
 * until the wait is over, and then one alone, until the server takes a request again: a server
 * that asked to be left alone gets one request after the wait, never one per sender. Until the
 * server has taken a first request, senders go one at a time as well.
 */
final class SenderGate {

  private boolean serverTakes;
  private boolean scoutOut;
  private long resumeAtMillis;
  /** Counts failures: an answer to a request sent before the last failure says nothing new. */
  private long failures;

  /**
   * Waits until this sender may send.
   *
   * @return the pass to report the outcome on, or null when the wait was interrupted
   */
  synchronized Pass enter() {
    while (true) {
      long wait = resumeAtMillis - System.currentTimeMillis();
      if (wait <= 0 && (serverTakes || !scoutOut)) {
        boolean scout = !serverTakes;
        scoutOut |= scout;
        return new Pass(failures, scout);
      }
      try {
        wait(Math.max(wait, 0)); // no deadline: the scout's outcome wakes this sender
      } catch (InterruptedException interrupted) {
        return null;
      }
    }
  }

  private synchronized void answered(Pass pass) {
    if (pass.failuresBefore == failures) {
      serverTakes = true;
    }
    release(pass);
  }

  private synchronized void mayPass(Pass pass, long waitMillis) {
    failures++;
    serverTakes = false;
    resumeAtMillis = Math.max(resumeAtMillis, System.currentTimeMillis() + waitMillis);
    release(pass);
  }

  private synchronized void release(Pass pass) {
    if (pass.scout) {
      scoutOut = false;
    }
    pass.open = false;
    notifyAll();
  }

  /** One sender's leave to send; report what the server did with it once. */
  final class Pass {
    private final long failuresBefore;
    private final boolean scout;
    private boolean open = true;

    private Pass(long failuresBefore, boolean scout) {
      this.failuresBefore = failuresBefore;
      this.scout = scout;
    }

    /** The server answered (took the request, or refused it for good). */
    void answered() {
      if (open) {
        SenderGate.this.answered(this);
      }
    }

    /** The request failed for a reason that may pass: every sender waits this long. */
    void mayPass(long waitMillis) {
      if (open) {
        SenderGate.this.mayPass(this, waitMillis);
      }
    }

    /** Frees the pass when no outcome was reported (an unexpected error). */
    void release() {
      if (open) {
        SenderGate.this.release(this);
      }
    }
  }
}
