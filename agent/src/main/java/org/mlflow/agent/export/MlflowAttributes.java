package org.mlflow.agent.export;

/** The span attribute keys MLflow's UI and clients read. */
public final class MlflowAttributes {

  public static final String TRACE_REQUEST_ID = "mlflow.traceRequestId";
  public static final String SPAN_TYPE = "mlflow.spanType";
  public static final String SPAN_INPUTS = "mlflow.spanInputs";
  public static final String SPAN_OUTPUTS = "mlflow.spanOutputs";
  public static final String MESSAGE_FORMAT = "mlflow.message.format";
  public static final String LLM_MODEL = "mlflow.llm.model";
  public static final String LLM_PROVIDER = "mlflow.llm.provider";
  public static final String CHAT_TOKEN_USAGE = "mlflow.chat.tokenUsage";
  public static final String CHAT_TOOLS = "mlflow.chat.tools";

  public static final String INPUT_TOKENS = "input_tokens";
  public static final String OUTPUT_TOKENS = "output_tokens";
  public static final String TOTAL_TOKENS = "total_tokens";
  public static final String CACHE_READ_INPUT_TOKENS = "cache_read_input_tokens";

  private MlflowAttributes() {}
}
