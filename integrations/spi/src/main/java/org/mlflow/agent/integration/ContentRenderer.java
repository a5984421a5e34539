package org.mlflow.agent.integration;

import org.mlflow.agent.bootstrap.Span;

/**
 * Turns what an advice captured into span fields. Runs on the agent's exporter thread, never on
 * the application thread, so it may take its time; it must not change the objects it reads.
 */
public interface ContentRenderer {

  /**
   * @param span the ended span: its {@code request()} (what the advice passed to {@code
   *     Tracing.start}), {@code response()} (null when the call threw or streamed), {@code error()}
   *     and, for a streaming call, its {@code chunk(i)} items
   */
  void render(Span span, SpanContent content) throws Exception;
}
