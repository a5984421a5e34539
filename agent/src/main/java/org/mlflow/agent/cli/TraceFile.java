package org.mlflow.agent.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.mlflow.agent.export.JsonCodec;

/**
 * One file of a traces folder read as a trace, as {@code show} prints it and {@code upload} sends
 * it: a JSON object with an {@code info} object naming the trace ({@code trace_id}) and a {@code
 * data} object with its {@code spans}. Anything else (cut, corrupt, foreign, huge) is a {@link
 * NotATrace} whose message is one printable line.
 */
final class TraceFile {

  /**
   * Larger files are not read: far beyond what the agent writes for one trace (its inputs and
   * outputs are cut at {@code MLFLOW_AGENT_MAX_CONTENT_CHARS}), and parsed whole they would take
   * the command's memory.
   */
  static final long MAX_BYTES = 256L << 20;

  /** MLflow's trace ids; nothing else may become a path on the server. */
  private static final Pattern TRACE_ID = Pattern.compile("tr-[A-Za-z0-9_-]{1,128}");
  private static final int MAX_REASON_CHARS = 200;

  private TraceFile() {}

  /** Why a file is not a trace, in one line. */
  static final class NotATrace extends Exception {
    private static final long serialVersionUID = 1L;

    NotATrace(String reason) {
      super(oneLine(reason, MAX_REASON_CHARS), null, false, false);
    }
  }

  /** The trace document: {@code info} and {@code data} are objects, {@code info.trace_id} set. */
  static JsonNode read(Path file) throws NotATrace {
    JsonNode trace;
    try {
      long size = Files.size(file);
      if (size > MAX_BYTES) {
        throw new NotATrace(size + " bytes, more than the " + (MAX_BYTES >> 20) + " MB a trace"
            + " file may have");
      }
      trace = JsonCodec.mapper().readTree(Files.readAllBytes(file));
    } catch (JsonProcessingException malformed) {
      JsonLocation where = malformed.getLocation();
      throw new NotATrace("not JSON: " + malformed.getOriginalMessage()
          + (where == null ? "" : " (line " + where.getLineNr() + ", column "
              + where.getColumnNr() + ")"));
    } catch (IOException unreadable) {
      throw new NotATrace("cannot read it: " + unreadable);
    }
    if (trace == null || !trace.isObject()) {
      throw new NotATrace("not a JSON object");
    }
    JsonNode info = trace.get("info");
    if (info == null || !info.isObject()) {
      throw new NotATrace("no \"info\" object");
    }
    JsonNode traceId = info.get("trace_id");
    if (traceId == null || !traceId.isTextual() || !TRACE_ID.matcher(traceId.textValue())
        .matches()) {
      throw new NotATrace("no \"info.trace_id\" of the form tr-<id>");
    }
    JsonNode data = trace.get("data");
    if (data == null || !data.isObject() || !data.path("spans").isArray()) {
      throw new NotATrace("no \"data\" object with a \"spans\" array");
    }
    return trace;
  }

  /**
   * The text on one line, fit for a terminal: line breaks and other control characters as
   * {@code \}u escapes, cut to {@code maxChars}.
   */
  static String oneLine(String text, int maxChars) {
    String value = String.valueOf(text);
    StringBuilder line = new StringBuilder(Math.min(value.length(), maxChars) + 16);
    int i = 0;
    for (; i < value.length() && line.length() < maxChars; i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029'
          || Character.getType(c) == Character.FORMAT) {
        line.append(String.format("\\u%04x", (int) c));
      } else {
        line.append(c);
      }
    }
    if (i < value.length()) {
      line.append("...");
    }
    return line.toString();
  }
}
