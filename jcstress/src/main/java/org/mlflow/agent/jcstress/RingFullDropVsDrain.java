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
 * A producer offers to a full ring while the consumer frees a slot: the element is either taken
 * (and drained after the two before it) or dropped and counted, never lost or seen twice.
 *
 * <p>Result: whether the offer was taken, the drop counter, the number of elements the consumer
 * and the arbiter drained together, 1 when they came out in offer order without repeats.
 */
@JCStressTest
@Outcome(id = "1, 0, 3, 1", expect = Expect.ACCEPTABLE, desc = "the consumer freed a slot first: taken")
@Outcome(id = "0, 1, 2, 1", expect = Expect.ACCEPTABLE, desc = "the ring was still full: dropped and counted")
@Outcome(expect = Expect.FORBIDDEN, desc = "an element lost, duplicated, reordered or a drop not counted")
@State
public class RingFullDropVsDrain {

  private final SpanRing<Integer> ring = new SpanRing<>(2);
  private final List<Integer> out = new ArrayList<>();
  private long offered;

  public RingFullDropVsDrain() {
    ring.offer(1);
    ring.offer(2);
  }

  @Actor
  public void producer() {
    offered = ring.offer(3);
  }

  @Actor
  public void consumer() {
    ring.drain(out::add, 1);
  }

  @Arbiter
  public void drain(IIII_Result result) {
    ring.drain(out::add, Integer.MAX_VALUE);
    result.r1 = offered >= 0 ? 1 : 0;
    result.r2 = (int) ring.dropped();
    result.r3 = out.size();
    List<Integer> expected = offered >= 0 ? List.of(1, 2, 3) : List.of(1, 2);
    result.r4 = out.equals(expected) ? 1 : 0;
  }
}
