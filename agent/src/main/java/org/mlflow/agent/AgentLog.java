package org.mlflow.agent;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * The agent's only voice: one line per message on stderr, prefixed {@code [mlflow-agent]}.
 *
 * <p>Repeated problems are rate limited by a key: the first occurrence is printed, later ones are
 * counted, so a failure on a hot path costs a map look-up, not a flood of output. Callers never pass secrets:
 * settings holding credentials are logged by name only; and since an exception's message may
 * echo one (a server quoting the token it refused), every line has the credentials the agent can
 * see replaced ({@link #neverPrint}).
 */
public final class AgentLog {

  public static final String PREFIX = "[mlflow-agent] ";
  /** Tests look for this marker: any line carrying it is an agent failure. */
  public static final String ERROR = "ERROR ";

  static final String REDACTED = "[REDACTED]";

  private static final Map<String, AtomicLong> COUNTS = new ConcurrentHashMap<>();
  private static volatile Pattern secrets;

  private AgentLog() {}

  /**
   * The credentials no line may show, replaced by {@code [REDACTED]} in every line printed from
   * now on; null: none.
   */
  public static void neverPrint(Pattern credentials) {
    secrets = credentials;
  }

  public static void info(String message) {
    print(PREFIX + message);
  }

  public static void warn(String message) {
    print(PREFIX + "WARN " + message);
  }

  /** A failure of the agent itself: prints the first of each {@code key}, counts the others. */
  public static void errorOnce(String key, String message, Throwable cause) {
    once(ERROR, key, message, cause);
  }

  /**
   * A problem outside the agent (a server down, a folder not writable): prints the first of each
   * {@code key}, counts the others.
   */
  public static void warnOnce(String key, String message, Throwable cause) {
    once("WARN ", key, message, cause);
  }

  private static void once(String level, String key, String message, Throwable cause) {
    AtomicLong count = COUNTS.computeIfAbsent(level + key, k -> new AtomicLong());
    if (count.getAndIncrement() == 0) {
      String reason = cause == null ? "" : ": " + describe(cause);
      print(PREFIX + level + message + reason + " (further occurrences are counted, not printed)");
    }
  }

  /** The line as it may be shown: every credential replaced. */
  public static String scrub(String line) {
    Pattern credentials = secrets;
    return credentials == null ? line : credentials.matcher(line).replaceAll(REDACTED);
  }

  private static void print(String line) {
    System.err.println(scrub(line));
  }

  public static String describe(Throwable error) {
    String message = error.getMessage();
    return error.getClass().getName() + (message == null ? "" : ": " + message);
  }
}
