package org.mlflow.agent.it.openai;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;

/**
 * What the OpenAI fake answers, shaped like OpenAI's own replies: chat completions, their streams
 * (server-sent events ending in {@code data: [DONE]}), Responses API replies and events, and
 * embeddings (base64 vectors, as the SDK asks for by default).
 */
public final class FakeReplies {

  public static final String SERVED_MODEL = "gpt-4o-mini-2024-07-18";
  /** Answers with a tool call. */
  public static final String TOOL_MODEL = "gpt-4o-mini-tools";
  /** Fails in the middle of its stream. */
  public static final String OVERLOADED_MODEL = "gpt-4o-mini-overloaded";
  public static final String EMBEDDING_MODEL = "text-embedding-3-small";
  public static final String STREAM_ID = "chatcmpl-fake-stream";
  public static final List<String> STREAMED_WORDS = List.of("MLflow ", "traces ", "streams.");
  public static final String STREAMED_ANSWER = String.join("", STREAMED_WORDS);
  public static final int STREAM_PROMPT_TOKENS = 14;
  public static final int STREAM_COMPLETION_TOKENS = 3;
  public static final String TOOL_NAME = "get_weather";
  public static final String TOOL_ARGUMENTS = "{\"city\":\"Paris\"}";
  public static final String OVERLOADED = "The server is overloaded, retry later";
  public static final String STRUCTURED_ANSWER = "{\"name\":\"MLflow\",\"firstRelease\":2018}";
  public static final String RESPONSE_TEXT = "MLflow traces responses.";
  public static final int EMBEDDING_DIMENSIONS = 1536;

  private FakeReplies() {}

  public static String completion(String id, String message, String finishReason, String usage) {
    return "{\"id\":\"" + id + "\",\"object\":\"chat.completion\",\"created\":1732300000,"
        + "\"model\":\"" + SERVED_MODEL + "\",\"choices\":[{\"index\":0,\"message\":" + message
        + ",\"logprobs\":null,\"finish_reason\":\"" + finishReason + "\"}],\"usage\":" + usage
        + ",\"system_fingerprint\":\"fp_fake\"}";
  }

  /** A tool call, as a non-streamed completion. */
  public static final String TOOL_CALL_COMPLETION = completion("chatcmpl-fake-tool",
      "{\"role\":\"assistant\",\"content\":null,\"refusal\":null,\"tool_calls\":[{\"id\":"
          + "\"call_weather\",\"type\":\"function\",\"function\":{\"name\":\"" + TOOL_NAME
          + "\",\"arguments\":" + quoted(TOOL_ARGUMENTS) + "}}]}",
      "tool_calls", "{\"prompt_tokens\":40,\"completion_tokens\":9,\"total_tokens\":49,"
          + "\"prompt_tokens_details\":{\"cached_tokens\":32,\"audio_tokens\":0}}");

  /** A structured output: the content is the JSON of the requested class. */
  public static final String STRUCTURED_COMPLETION = completion("chatcmpl-fake-structured",
      "{\"role\":\"assistant\",\"content\":" + quoted(STRUCTURED_ANSWER) + ",\"refusal\":null}",
      "stop", "{\"prompt_tokens\":60,\"completion_tokens\":11,\"total_tokens\":71}");

  public static String chunk(String delta, String finishReason) {
    return "{\"id\":\"" + STREAM_ID + "\",\"object\":\"chat.completion.chunk\",\"created\":"
        + "1732300001,\"model\":\"" + SERVED_MODEL + "\",\"system_fingerprint\":\"fp_fake\","
        + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"logprobs\":null,"
        + "\"finish_reason\":" + finishReason + "}],\"usage\":null}";
  }

  /** The last chunk when the request asked for usage: no choice, only the usage. */
  public static final String USAGE_CHUNK = "{\"id\":\"" + STREAM_ID + "\",\"object\":"
      + "\"chat.completion.chunk\",\"created\":1732300001,\"model\":\"" + SERVED_MODEL + "\","
      + "\"system_fingerprint\":\"fp_fake\",\"choices\":[],\"usage\":{\"prompt_tokens\":"
      + STREAM_PROMPT_TOKENS + ",\"completion_tokens\":" + STREAM_COMPLETION_TOKENS
      + ",\"total_tokens\":" + (STREAM_PROMPT_TOKENS + STREAM_COMPLETION_TOKENS) + "}}";

  public static final String FIRST_CHUNK =
      chunk("{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}", "null");

  /** A streamed answer, word by word, then the finish reason and the usage chunk. */
  public static final List<String> ANSWER_CHUNKS = List.of(
      FIRST_CHUNK,
      chunk("{\"content\":" + quoted(STREAMED_WORDS.get(0)) + "}", "null"),
      chunk("{\"content\":" + quoted(STREAMED_WORDS.get(1)) + "}", "null"),
      chunk("{\"content\":" + quoted(STREAMED_WORDS.get(2)) + "}", "null"),
      chunk("{}", "\"stop\""),
      USAGE_CHUNK);

  /** A streamed tool call: the arguments arrive in pieces. */
  public static final List<String> TOOL_CALL_CHUNKS = List.of(
      chunk("{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":"
          + "\"call_weather\",\"type\":\"function\",\"function\":{\"name\":\"" + TOOL_NAME
          + "\",\"arguments\":\"\"}}]}", "null"),
      chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":"
          + quoted(TOOL_ARGUMENTS.substring(0, 8)) + "}}]}", "null"),
      chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":"
          + quoted(TOOL_ARGUMENTS.substring(8)) + "}}]}", "null"),
      chunk("{}", "\"tool_calls\""));

  /** One word, then the server reports an error inside the stream. */
  public static final String OVERLOADED_STREAM = events(List.of(FIRST_CHUNK,
      chunk("{\"content\":" + quoted(STREAMED_WORDS.get(0)) + "}", "null")))
      + "data: {\"error\":{\"message\":\"" + OVERLOADED + "\",\"type\":\"server_error\","
      + "\"param\":null,\"code\":null}}\n\n";

  public static String response(String status) {
    return "{\"id\":\"resp_fake\",\"object\":\"response\",\"created_at\":1732300002,\"status\":\""
        + status + "\",\"error\":null,\"incomplete_details\":null,\"instructions\":null,"
        + "\"max_output_tokens\":null,\"model\":\"" + SERVED_MODEL + "\",\"output\":["
        + ("completed".equals(status) ? RESPONSE_MESSAGE : "") + "],\"parallel_tool_calls\":"
        + "true,\"previous_response_id\":null,\"temperature\":1.0,\"text\":{\"format\":{\"type\":"
        + "\"text\"}},\"tool_choice\":\"auto\",\"tools\":[],\"top_p\":1.0,\"truncation\":"
        + "\"disabled\",\"usage\":" + ("completed".equals(status) ? RESPONSE_USAGE : "null")
        + ",\"metadata\":{}}";
  }

  public static final String RESPONSE_MESSAGE = "{\"type\":\"message\",\"id\":\"msg_fake\","
      + "\"status\":\"completed\",\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\","
      + "\"text\":\"" + RESPONSE_TEXT + "\",\"annotations\":[]}]}";

  public static final String RESPONSE_USAGE = "{\"input_tokens\":25,\"input_tokens_details\":"
      + "{\"cached_tokens\":16},\"output_tokens\":6,\"output_tokens_details\":"
      + "{\"reasoning_tokens\":0},\"total_tokens\":31}";

  public static final String RESPONSE_JSON = response("completed");

  /** The Responses API's events: no {@code [DONE]}, the stream ends with response.completed. */
  public static final String RESPONSE_STREAM = namedEvents(List.of(
      "{\"type\":\"response.created\",\"sequence_number\":0,\"response\":"
          + response("in_progress") + "}",
      "{\"type\":\"response.output_text.delta\",\"sequence_number\":1,\"item_id\":\"msg_fake\","
          + "\"output_index\":0,\"content_index\":0,\"delta\":\"MLflow \"}",
      "{\"type\":\"response.output_text.delta\",\"sequence_number\":2,\"item_id\":\"msg_fake\","
          + "\"output_index\":0,\"content_index\":0,\"delta\":\"traces responses.\"}",
      "{\"type\":\"response.output_item.done\",\"sequence_number\":3,\"output_index\":0,"
          + "\"item\":" + RESPONSE_MESSAGE + "}",
      "{\"type\":\"response.completed\",\"sequence_number\":4,\"response\":" + RESPONSE_JSON
          + "}"));

  public static final String EMBEDDINGS_JSON = "{\"object\":\"list\",\"data\":["
      + "{\"object\":\"embedding\",\"index\":0,\"embedding\":\"" + vector(1f) + "\"},"
      + "{\"object\":\"embedding\",\"index\":1,\"embedding\":\"" + vector(2f) + "\"}],"
      + "\"model\":\"" + EMBEDDING_MODEL + "\",\"usage\":{\"prompt_tokens\":8,\"total_tokens\":8}}";

  /** Chat chunks as server-sent events, ending as OpenAI ends them. */
  public static String events(List<String> chunks) {
    StringBuilder body = new StringBuilder();
    chunks.forEach(chunk -> body.append("data: ").append(chunk).append("\n\n"));
    return body.toString();
  }

  public static String stream(List<String> chunks) {
    return events(chunks) + "data: [DONE]\n\n";
  }

  /** Events with their type as the SSE event name, as the Responses API sends them. */
  private static String namedEvents(List<String> events) {
    StringBuilder body = new StringBuilder();
    for (String event : events) {
      String type = event.substring(9, event.indexOf('"', 9));
      body.append("event: ").append(type).append("\ndata: ").append(event).append("\n\n");
    }
    return body.toString();
  }

  /** The base64 of little-endian float32 values, as OpenAI encodes vectors. */
  private static String vector(float scale) {
    ByteBuffer floats =
        ByteBuffer.allocate(EMBEDDING_DIMENSIONS * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < EMBEDDING_DIMENSIONS; i++) {
      floats.putFloat(scale * i / EMBEDDING_DIMENSIONS);
    }
    return Base64.getEncoder().encodeToString(floats.array());
  }

  private static String quoted(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
