package org.mlflow.agent.jcstress;

import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.bootstrap.Tracing;
import org.mlflow.agent.core.TraceAssembler;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * A root ends on the app thread while the exporter runs its expiry pass, which ships a root it
 * finds finished before the root's end event arrives. Either way the trace is shipped once, and
 * the root's end event arriving after it is not counted as a dropped span (it was exported).
 *
 * <p>Result: traces shipped, spans counted as dropped.
 */
@JCStressTest
@Outcome(id = "1, 0", expect = Expect.ACCEPTABLE, desc = "shipped once, nothing counted as dropped")
@Outcome(expect = Expect.FORBIDDEN, desc = "shipped twice or never, or an exported root counted as dropped")
@State
public class RootEndVsExpiry {

  private final AssemblyFixture agent = new AssemblyFixture();
  private final Span root;

  public RootEndVsExpiry() {
    root = agent.start("root");
    agent.assembler.rootStarted(root, 0);
    Tracing.detach(root);
  }

  @Actor
  public void endRoot() {
    Tracing.end(root, "result", null);
  }

  @Actor
  public void exporterExpiryPass() {
    agent.assembler.expire(1);
    agent.assembler.expire(1 + TraceAssembler.RECOVERY_GRACE_NANOS); // past the grace
    agent.exportOnce(1);
  }

  @Arbiter
  public void afterBoth(II_Result result) {
    agent.exportOnce(2);
    agent.assembler.expire(2 + TraceAssembler.RECOVERY_GRACE_NANOS);
    result.r1 = agent.shipped.size();
    result.r2 = agent.stats.spansDropped().values().stream().mapToInt(Long::intValue).sum();
  }
}
