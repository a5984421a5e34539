package org.mlflow.agent.jcstress;

import java.util.ArrayList;
import java.util.List;
import org.mlflow.agent.core.SpanRing;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * Two producers race for the last free slot: exactly one wins, the other's element is dropped and
 * counted, and the drained elements are the one already there and the winner's.
 *
 * <p>Result: whether A's offer was taken, whether B's was, the ring's drop counter, the number of
 * elements drained.
 */
@JCStressTest
@Outcome(id = "1, 0, 1, 2", expect = Expect.ACCEPTABLE, desc = "A took the last slot, B dropped")
@Outcome(id = "0, 1, 1, 2", expect = Expect.ACCEPTABLE, desc = "B took the last slot, A dropped")
@Outcome(expect = Expect.FORBIDDEN, desc = "both or neither taken, a drop not counted, an element lost")
@State
public class RingFullTwoProducers {

  private final SpanRing<Integer> ring = new SpanRing<>(2);
  private long offeredA;
  private long offeredB;

  public RingFullTwoProducers() {
    ring.offer(0);
  }

  @Actor
  public void producerA() {
    offeredA = ring.offer(1);
  }

  @Actor
  public void producerB() {
    offeredB = ring.offer(2);
  }

  @Arbiter
  public void drain(IIII_Result result) {
    List<Integer> out = new ArrayList<>();
    ring.drain(out::add, Integer.MAX_VALUE);
    result.r1 = offeredA >= 0 ? 1 : 0;
    result.r2 = offeredB >= 0 ? 1 : 0;
    result.r3 = (int) ring.dropped();
    boolean winnerOut = offeredA >= 0 ? out.contains(1) && !out.contains(2)
        : out.contains(2) && !out.contains(1);
    result.r4 = out.get(0) == 0 && winnerOut ? out.size() : -out.size();
  }
}
