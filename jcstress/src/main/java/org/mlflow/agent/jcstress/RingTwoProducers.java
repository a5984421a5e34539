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
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Two producers race for the slots of a ring with room for all: every element comes out once, and
 * each producer's elements in the order it offered them.
 *
 * <p>Result: elements drained, 1 when no element came out twice, 1 when each producer's order
 * was kept.
 */
@JCStressTest
@Outcome(id = "4, 1, 1", expect = Expect.ACCEPTABLE, desc = "all four out, once each, in order")
@Outcome(expect = Expect.FORBIDDEN, desc = "an element lost, duplicated or reordered")
@State
public class RingTwoProducers {

  private final SpanRing<Integer> ring = new SpanRing<>(4);

  @Actor
  public void producerA() {
    ring.offer(1);
    ring.offer(2);
  }

  @Actor
  public void producerB() {
    ring.offer(11);
    ring.offer(12);
  }

  @Arbiter
  public void drain(III_Result result) {
    List<Integer> out = new ArrayList<>();
    ring.drain(out::add, Integer.MAX_VALUE);
    result.r1 = out.size();
    result.r2 = out.stream().distinct().count() == out.size() ? 1 : 0;
    result.r3 = Drained.inProducerOrder(out, 1, 2) && Drained.inProducerOrder(out, 11, 12) ? 1 : 0;
  }
}
