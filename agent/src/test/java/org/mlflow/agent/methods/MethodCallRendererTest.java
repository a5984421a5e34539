package org.mlflow.agent.methods;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.bootstrap.RecordingSink;
import org.mlflow.agent.bootstrap.Tracing;
import org.mlflow.agent.integration.SpanContent;

class MethodCallRendererTest {

  private Span call(String parameterNames, Object[] arguments, Object returned, Throwable thrown) {
    List<Span> ended = RecordingSink.install().ended();
    Span span = Tracing.start(TracedMethodAdvice.KIND, "Bot.answer", "AGENT",
        new Object[] {parameterNames, arguments});
    Tracing.end(span, returned, thrown);
    return ended.get(0);
  }

  @AfterEach
  void uninstall() {
    RecordingSink.uninstall();
  }

  @Test
  void argumentsByParameterNameAndTheReturnValueAsPythonsTraceDecorator() {
    SpanContent content = new SpanContent();
    new MethodCallRenderer().render(
        call("question,attempts", new Object[] {"What is MLflow?", 2}, List.of("an answer"), null),
        content);

    Map<String, Object> inputs = new LinkedHashMap<>();
    inputs.put("question", "What is MLflow?");
    inputs.put("attempts", 2);
    assertEquals(inputs, content.inputs());
    assertEquals(List.of("an answer"), content.outputs());
    assertEquals("answer", content.attributes().get("mlflow.spanFunctionName"));
  }

  @Test
  void aMethodWithoutParametersHasEmptyInputsAndAFailedOneNoOutputs() {
    SpanContent content = new SpanContent();
    new MethodCallRenderer().render(
        call("", new Object[0], null, new IllegalStateException("no answer")), content);

    assertEquals(Map.of(), content.inputs());
    assertNull(content.outputs());
  }
}
