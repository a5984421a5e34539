package org.mlflow.agent.benchmarks.payload;

/**
 * The chat call every benchmark makes: a user message and an answer of chosen sizes. A call of
 * {@code n} bytes has {@code n / 2} characters of content in the request and {@code n / 2} in the
 * response (plain ASCII that JSON needs no escape for); the JSON around them adds a few hundred
 * bytes.
 */
public final class ChatPayloads {

  public static final String MODEL = "gpt-4o-mini";
  /** The size of the small call: one short question, one short answer. */
  public static final int SMALL_CALL_BYTES = 64;

  private static final String SENTENCE = "The quick brown fox jumps over the lazy dog. ";

  private ChatPayloads() {}

  /** Exactly {@code chars} characters of text. */
  public static String text(int chars) {
    StringBuilder text = new StringBuilder(chars + SENTENCE.length());
    while (text.length() < chars) {
      text.append(SENTENCE);
    }
    text.setLength(chars);
    return text.toString();
  }

  /** A chat completion as the OpenAI API returns it, with an answer of {@code contentChars}. */
  public static String completionJson(int contentChars) {
    long completionTokens = Math.max(1, contentChars / 4);
    return "{\"id\":\"chatcmpl-benchmark\",\"object\":\"chat.completion\",\"created\":1700000000,"
        + "\"model\":\"" + MODEL + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":"
        + "\"assistant\",\"content\":\"" + text(contentChars) + "\",\"refusal\":null},"
        + "\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":"
        + completionTokens + ",\"completion_tokens\":" + completionTokens + ",\"total_tokens\":"
        + 2 * completionTokens + "},\"system_fingerprint\":\"fp_benchmark\"}";
  }
}
