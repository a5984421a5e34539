package org.mlflow.agent.jcstress;

import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.bootstrap.Tracing;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * A child (say a stream read on another thread) and its root end at the same time on two threads
 * while the exporter assembles: the trace is shipped once, and the child is either in it or, when
 * its end reached the exporter after the root's, counted as late. Never lost uncounted, never a
 * second trace.
 *
 * <p>Result: traces shipped, spans in them, spans counted as late.
 */
@JCStressTest
@Outcome(id = "1, 2, 0", expect = Expect.ACCEPTABLE, desc = "the child's end arrived first: one whole trace")
@Outcome(id = "1, 1, 1", expect = Expect.ACCEPTABLE_INTERESTING,
    desc = "the root's end arrived first: the trace without the child, the child counted as late")
@Outcome(expect = Expect.FORBIDDEN, desc = "a span lost uncounted, or the trace shipped twice or never")
@State
public class ChildAndRootEndTogether {

  private static final long LATER = 1_000_000_000_000L;

  private final AssemblyFixture agent = new AssemblyFixture();
  private final Span root;
  private final Span child;

  public ChildAndRootEndTogether() {
    root = agent.start("root");
    agent.assembler.rootStarted(root, 0);
    child = agent.start("child");
    Tracing.detach(child);
    Tracing.detach(root);
  }

  @Actor
  public void endChild() {
    Tracing.end(child, "child result", null);
  }

  @Actor
  public void endRootAndExport() {
    Tracing.end(root, "root result", null);
    agent.exportOnce(1);
  }

  @Arbiter
  public void afterTimeout(III_Result result) {
    agent.exportOnce(2);
    agent.assembler.expire(LATER); // past the trace timeout: a waiting child is settled
    result.r1 = agent.shipped.size();
    result.r2 = agent.spansShipped();
    result.r3 = agent.lateDrops();
  }
}
