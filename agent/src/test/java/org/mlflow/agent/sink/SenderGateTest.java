package org.mlflow.agent.sink;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class SenderGateTest {

  private final SenderGate gate = new SenderGate();

  /** Whether another sender gets a pass while the test holds the ones it has. */
  private boolean anotherSenderMaySend(long waitMillis) throws Exception {
    CompletableFuture<SenderGate.Pass> other = new CompletableFuture<>();
    Thread sender = new Thread(() -> other.complete(gate.enter()));
    sender.start();
    try {
      SenderGate.Pass pass = other.get(waitMillis, TimeUnit.MILLISECONDS);
      pass.release();
      return true;
    } catch (TimeoutException heldBack) {
      sender.interrupt();
      sender.join();
      return false;
    }
  }

  /** Held back for a while: a bound that can only miss a bug on a slow machine, never fail. */
  private boolean anotherSenderIsHeldBack() throws Exception {
    return !anotherSenderMaySend(300);
  }

  private boolean anotherSenderMaySend() throws Exception {
    return anotherSenderMaySend(TimeUnit.SECONDS.toMillis(20));
  }

  @Test
  void untilTheServerTakesARequestOneSenderAtATimeThenAll() throws Exception {
    SenderGate.Pass first = gate.enter();

    assertTrue(anotherSenderIsHeldBack());
    first.answered();
    SenderGate.Pass second = gate.enter();
    assertTrue(anotherSenderMaySend());
    second.answered();
  }

  @Test
  void anAnswerToARequestSentBeforeAFailureDoesNotLetEverySenderGoAgain() throws Exception {
    SenderGate.Pass opening = gate.enter();
    opening.answered();
    SenderGate.Pass early = gate.enter();
    SenderGate.Pass failing = gate.enter();

    failing.mayPass(0);
    early.answered(); // sent before the failure: says nothing of the server now
    SenderGate.Pass scout = gate.enter();

    assertTrue(anotherSenderIsHeldBack());
    scout.answered();
    assertTrue(anotherSenderMaySend());
  }

  @Test
  void aScoutThatReportsNothingFreesItsPlace() throws Exception {
    SenderGate.Pass scout = gate.enter();
    scout.release(); // an unexpected error: neither answered nor failed

    assertTrue(anotherSenderMaySend());
  }

  @Test
  void aWaitingSenderIsLetGoByAnInterrupt() throws Exception {
    gate.enter().mayPass(60_000);
    CompletableFuture<SenderGate.Pass> waiting = new CompletableFuture<>();
    Thread sender = new Thread(() -> waiting.complete(gate.enter()));
    sender.start();

    sender.interrupt();
    sender.join(TimeUnit.SECONDS.toMillis(20));

    assertNull(waiting.get(), "no pass: the wait was interrupted (close)");
  }
}
