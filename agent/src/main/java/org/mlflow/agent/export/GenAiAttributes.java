package org.mlflow.agent.export;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The OpenTelemetry GenAI semantic-convention attributes of a span, derived from its MLflow ones,
 * for OTLP backends that read {@code gen_ai.*} rather than {@code mlflow.*}. The operation names
 * and the span kinds are those MLflow's own GenAI translator uses.
 */
final class GenAiAttributes {

  static final String OPERATION_NAME = "gen_ai.operation.name";
  static final String PROVIDER_NAME = "gen_ai.provider.name";
  /** The older name of {@link #PROVIDER_NAME}, still read by many backends. */
  static final String SYSTEM = "gen_ai.system";
  static final String REQUEST_MODEL = "gen_ai.request.model";
  static final String RESPONSE_MODEL = "gen_ai.response.model";
  static final String INPUT_TOKENS = "gen_ai.usage.input_tokens";
  static final String OUTPUT_TOKENS = "gen_ai.usage.output_tokens";

  private static final Map<String, String> OPERATION_BY_SPAN_TYPE = Map.of(
      "CHAT_MODEL", "chat",
      "LLM", "generate_content",
      "EMBEDDING", "embeddings",
      "TOOL", "execute_tool",
      "AGENT", "invoke_agent");

  /** Operations that call a model over the network: their spans are CLIENT spans. */
  private static final Set<String> MODEL_CALLS = Set.of("chat", "generate_content", "embeddings");

  private GenAiAttributes() {}

  /**
   * @param mlflow the span's MLflow attributes, each value parsed from its JSON text
   * @return the {@code gen_ai.*} attributes (String or Long values), empty for a span that is no
   *     GenAI operation
   */
  static Map<String, Object> of(Map<String, JsonNode> mlflow) {
    Map<String, Object> genAi = new LinkedHashMap<>();
    String operation = OPERATION_BY_SPAN_TYPE.get(text(mlflow.get(MlflowAttributes.SPAN_TYPE)));
    if (operation == null) {
      return genAi;
    }
    genAi.put(OPERATION_NAME, operation);
    String provider = text(mlflow.get(MlflowAttributes.LLM_PROVIDER));
    if (provider != null) {
      genAi.put(PROVIDER_NAME, provider);
      genAi.put(SYSTEM, provider);
    }
    String answeredBy = text(mlflow.get(MlflowAttributes.LLM_MODEL));
    JsonNode inputs = mlflow.get(MlflowAttributes.SPAN_INPUTS);
    String requested = inputs == null ? null : text(inputs.get("model"));
    if (requested != null || answeredBy != null) {
      genAi.put(REQUEST_MODEL, requested != null ? requested : answeredBy);
    }
    if (answeredBy != null) {
      genAi.put(RESPONSE_MODEL, answeredBy);
    }
    JsonNode usage = mlflow.get(MlflowAttributes.CHAT_TOKEN_USAGE);
    if (usage != null) {
      putCount(genAi, INPUT_TOKENS, usage.get(MlflowAttributes.INPUT_TOKENS));
      putCount(genAi, OUTPUT_TOKENS, usage.get(MlflowAttributes.OUTPUT_TOKENS));
    }
    return genAi;
  }

  /** Whether spans of this {@code gen_ai.operation.name} are model calls (span kind CLIENT). */
  static boolean isModelCall(Object operation) {
    return operation != null && MODEL_CALLS.contains(operation);
  }

  private static void putCount(Map<String, Object> genAi, String key, JsonNode count) {
    if (count != null && count.canConvertToLong()) {
      genAi.put(key, count.asLong());
    }
  }

  private static String text(JsonNode node) {
    return node != null && node.isTextual() && !node.asText().isEmpty() ? node.asText() : null;
  }
}
