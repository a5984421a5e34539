package org.mlflow.agent.integration;

/**
 * Turns the objects an advice captured into span fields. Runs on the agent's exporter thread,
 * never on the application thread, so it may take its time; it must not change the objects.
 */
public interface ContentRenderer {

  /**
   * @param request what the advice passed to {@code Tracing.start}
   * @param response what the call returned, or null when it threw
   * @param error what the call threw, or null
   */
  void render(Object request, Object response, Throwable error, SpanContent content)
      throws Exception;
}
