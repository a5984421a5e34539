package org.mlflow.agent.integration;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields a {@link ContentRenderer} fills in. Values are plain JDK types (String, Number,
 * Boolean, Map, List, null) so that no library type crosses into the agent; the exporters decide
 * how each field is named on the wire.
 */
public final class SpanContent {

  private String spanType;
  private String spanName;
  private String failure;
  private Object inputs;
  private Object outputs;
  private String model;
  private String provider;
  private String messageFormat;
  private TokenUsage tokenUsage;
  private List<Object> tools;
  private final Map<String, Object> attributes = new LinkedHashMap<>();
  private final Map<String, String> traceMetadata = new LinkedHashMap<>();
  private final List<Object> chunks = new ArrayList<>();

  /**
   * The span's type when what the call turned out to do decides it (a call that ran a tool loop is
   * a {@code CHAIN}; a model that answered with embeddings is an {@code EMBEDDING}); null keeps
   * the type it was started with.
   */
  public SpanContent spanType(String value) {
    this.spanType = value;
    return this;
  }

  public String spanType() {
    return spanType;
  }

  /**
   * The span's name when only the call's content tells it (the name of the tool that ran, the
   * interface and method of a proxy); null keeps the name it was started with. Lets the advice
   * start the span with a fixed name instead of reading library objects on the application thread.
   */
  public SpanContent spanName(String value) {
    this.spanName = value;
    return this;
  }

  public String spanName() {
    return spanName;
  }

  /**
   * Marks a call that returned normally but whose result says it failed (an MCP tool result
   * flagged {@code isError}): the span's status is ERROR with this message. A call that threw is an
   * error span without it.
   */
  public SpanContent failure(String message) {
    this.failure = message;
    return this;
  }

  public String failure() {
    return failure;
  }

  /** The call's inputs, e.g. the provider request as its JSON would read. */
  public SpanContent inputs(Object value) {
    this.inputs = value;
    return this;
  }

  /** The call's outputs, e.g. the provider response as its JSON would read. */
  public SpanContent outputs(Object value) {
    this.outputs = value;
    return this;
  }

  public SpanContent model(String value) {
    this.model = value;
    return this;
  }

  /** Who served the call, e.g. {@code openai}. */
  public SpanContent provider(String value) {
    this.provider = value;
    return this;
  }

  /** The chat schema of inputs and outputs, e.g. {@code openai}, for MLflow's chat view. */
  public SpanContent messageFormat(String value) {
    this.messageFormat = value;
    return this;
  }

  /** The tools the model was offered, as OpenAI-style tool definitions. */
  public SpanContent tools(List<Object> value) {
    this.tools = value;
    return this;
  }

  public List<Object> tools() {
    return tools;
  }

  /**
   * A span attribute MLflow has no key of its own for, such as the provider's id of the call
   * ({@code aws.request_id}); the value is a plain JDK value. It never replaces one of the keys
   * the other fields set.
   */
  public SpanContent attribute(String key, Object value) {
    attributes.put(key, value);
    return this;
  }

  public Map<String, Object> attributes() {
    return attributes;
  }

  /**
   * Metadata of the whole trace this span belongs to, such as the user and session of the request
   * a root span stands for ({@code mlflow.trace.user}, {@code mlflow.trace.session}).
   */
  public SpanContent traceMetadata(String key, String value) {
    traceMetadata.put(key, value);
    return this;
  }

  public Map<String, String> traceMetadata() {
    return traceMetadata;
  }

  public SpanContent tokenUsage(TokenUsage value) {
    this.tokenUsage = value;
    return this;
  }

  /**
   * One streamed item as plain values, in the order of the span's chunks; each becomes one of
   * MLflow's {@code mlflow.chunk.item.<i>} events.
   */
  public SpanContent chunk(Object value) {
    chunks.add(value);
    return this;
  }

  public List<Object> chunks() {
    return chunks;
  }

  public Object inputs() {
    return inputs;
  }

  public Object outputs() {
    return outputs;
  }

  public String model() {
    return model;
  }

  public String provider() {
    return provider;
  }

  public String messageFormat() {
    return messageFormat;
  }

  public TokenUsage tokenUsage() {
    return tokenUsage;
  }
}
