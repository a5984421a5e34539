package org.mlflow.agent.sink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.mlflow.agent.AgentLog;
import org.mlflow.agent.export.JsonCodec;
import org.mlflow.agent.export.JsonText;

/**
 * Traces the server did not take yet, on disk, until they can be sent: one whole trace per file in
 * the trace file shape ({@code tr-<id>.json}), bounded in bytes.
 *
 * <p>Several JVMs may share the folder: a trace is claimed by renaming its file before it is sent,
 * and only the JVM whose rename succeeded sends it. A claim left by a JVM that died is released
 * after {@link #STALE_CLAIM_MILLIS}. Files written by a crashed writer are hidden temporary files
 * and never read; one left that long is moved to {@code corrupt/}. A file that is not a whole
 * trace (cut short by a full disk, say) is moved to {@code corrupt/} too, never sent. Each move is
 * one WARN line naming the file, which is kept there for its owner to look at.
 */
public final class Spool {

  static final long STALE_CLAIM_MILLIS = TimeUnit.MINUTES.toMillis(10);
  private static final String CLAIM_MARK = ".claimed-";
  /** The name {@link AtomicFiles#write} gives a trace file while it is written. */
  private static final String UNFINISHED_PREFIX = AtomicFiles.TEMPORARY_PREFIX + "tr-";
  private static final String UNFINISHED_SUFFIX = AtomicFiles.TEMPORARY_SUFFIX;
  private static final String CORRUPT_FOLDER = "corrupt";
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final Path folder;
  private final long maxBytes;
  private final AtomicLong usedBytes = new AtomicLong();

  public Spool(Path folder, long maxBytes) {
    this.folder = folder.toAbsolutePath().normalize();
    this.maxBytes = maxBytes;
    usedBytes.set(sizeOfTraceFiles());
  }

  public Path folder() {
    return folder;
  }

  /**
   * Keeps a trace until it can be sent.
   *
   * @return false when the spool is full (the trace is not kept)
   */
  public boolean store(String traceId, Map<String, Object> info, byte[] spansJson)
      throws IOException {
    Map<String, Object> file = new LinkedHashMap<>();
    file.put("info", info);
    file.put("data", new JsonText(new String(spansJson, java.nio.charset.StandardCharsets.UTF_8)));
    byte[] content = JsonCodec.mapper().writeValueAsBytes(file);
    if (usedBytes.get() + content.length > maxBytes) {
      return false;
    }
    AtomicFiles.write(folder.resolve(traceId + LocalFolderSink.FILE_SUFFIX), content);
    usedBytes.addAndGet(content.length);
    return true;
  }

  /** Trace files waiting to be sent, oldest first; stale claims are released first. */
  public List<Path> pending() {
    List<Path> files = new ArrayList<>();
    if (!Files.isDirectory(folder)) {
      return files;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (name.startsWith("tr-") && name.endsWith(LocalFolderSink.FILE_SUFFIX)) {
          files.add(entry);
        } else if (name.startsWith("tr-") && name.contains(CLAIM_MARK)) {
          releaseIfStale(entry, name);
        } else if (name.startsWith(UNFINISHED_PREFIX) && name.endsWith(UNFINISHED_SUFFIX)) {
          setAsideIfAbandoned(entry);
        }
      }
    } catch (IOException unreadable) {
      AgentLog.warnOnce("spool:list", "cannot list the spool folder " + folder, unreadable);
    }
    files.sort(Comparator.comparingLong(Spool::modifiedMillis));
    return files;
  }

  /**
   * Takes a spooled trace for sending, unless another JVM took it first.
   *
   * @return the claim, or null when the file is gone or not a readable trace (then it is moved to
   *     {@code corrupt/} with one warning)
   */
  public Claim claim(Path file) {
    Path claimed = file.resolveSibling(file.getFileName() + CLAIM_MARK + UUID.randomUUID());
    try {
      Files.move(file, claimed, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (NoSuchFileException takenByAnother) {
      return null;
    } catch (IOException cannotClaim) {
      AgentLog.warnOnce("spool:claim", "cannot claim spooled traces in " + folder, cannotClaim);
      return null;
    }
    try {
      byte[] content = Files.readAllBytes(claimed);
      Map<String, Object> trace = JsonCodec.mapper().readValue(content, MAP);
      Object info = trace.get("info");
      Object data = trace.get("data");
      if (!(info instanceof Map) || !(data instanceof Map)
          || !(((Map<?, ?>) info).get("trace_id") instanceof String)) {
        throw new IOException("no info.trace_id or data object");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> traceInfo = (Map<String, Object>) info;
      return new Claim(file, claimed, (String) traceInfo.get("trace_id"), traceInfo,
          JsonCodec.mapper().writeValueAsBytes(data), content.length);
    } catch (IOException | RuntimeException notATrace) {
      setAside(claimed, file, true, "it is not a whole trace file (" + oneLine(notATrace) + ")");
      return null;
    }
  }

  /**
   * A write that never finished: its JVM was killed (or the disk filled) before the rename. One
   * younger than {@link #STALE_CLAIM_MILLIS} may be another live JVM's write, so it is left alone.
   */
  private void setAsideIfAbandoned(Path unfinished) {
    if (System.currentTimeMillis() - modifiedMillis(unfinished) < STALE_CLAIM_MILLIS) {
      return;
    }
    setAside(unfinished, unfinished, false,
        "a spool write that never finished (the JVM writing it stopped), not a trace");
  }

  /**
   * Moves a file that must not be sent from {@code current} (its name or its claim's) to
   * {@code corrupt/}, under the original name made visible, with one line naming both.
   *
   * @param counted whether the file counts towards the spool's size
   */
  private void setAside(Path current, Path original, boolean counted, String why) {
    Path corrupt = folder.resolve(CORRUPT_FOLDER);
    String name = original.getFileName().toString();
    Path kept = corrupt.resolve(name.startsWith(AtomicFiles.TEMPORARY_PREFIX)
        ? name.substring(AtomicFiles.TEMPORARY_PREFIX.length()) : name);
    try {
      long size = Files.size(current);
      AtomicFiles.createPrivateDirectories(corrupt);
      AtomicFiles.move(current, kept);
      if (counted) {
        usedBytes.addAndGet(-size);
      }
      AgentLog.warn("moved " + original + " to " + kept + ": " + why
          + "; it is kept there and not sent");
    } catch (NoSuchFileException setAsideByAnother) {
      // another JVM sharing the spool moved it first
    } catch (IOException cannotMove) {
      AgentLog.warnOnce("spool:set-aside", "cannot move a bad spool file to " + corrupt,
          cannotMove);
    }
  }

  /** The reason without Jackson's location lines (which may quote the file). */
  private static String oneLine(Exception failure) {
    String message = failure instanceof JsonProcessingException
        ? ((JsonProcessingException) failure).getOriginalMessage() : failure.getMessage();
    if (message == null || message.isBlank()) {
      return failure.getClass().getSimpleName();
    }
    return message.lines().findFirst().orElse("").strip();
  }

  private static void releaseIfStale(Path claimed, String name) {
    if (System.currentTimeMillis() - modifiedMillis(claimed) < STALE_CLAIM_MILLIS) {
      return;
    }
    try {
      AtomicFiles.move(claimed, claimed.resolveSibling(name.substring(0, name.indexOf(CLAIM_MARK))));
    } catch (IOException takenByAnother) {
      // another JVM released or sent it meanwhile
    }
  }

  private long sizeOfTraceFiles() {
    long total = 0;
    for (Path file : pending()) {
      try {
        total += Files.size(file);
      } catch (IOException gone) {
        // sent by another JVM meanwhile
      }
    }
    return total;
  }

  private static long modifiedMillis(Path file) {
    try {
      return Files.getLastModifiedTime(file).toMillis();
    } catch (IOException gone) {
      return Long.MAX_VALUE;
    }
  }

  /** A spooled trace this JVM is sending. */
  public final class Claim {
    private final Path original;
    private final Path claimed;
    private final String traceId;
    private final Map<String, Object> info;
    private final byte[] spansJson;
    private final long size;

    Claim(Path original, Path claimed, String traceId, Map<String, Object> info, byte[] spansJson,
        long size) {
      this.original = original;
      this.claimed = claimed;
      this.traceId = traceId;
      this.info = info;
      this.spansJson = spansJson;
      this.size = size;
    }

    public String traceId() {
      return traceId;
    }

    public Map<String, Object> info() {
      return info;
    }

    public byte[] spansJson() {
      return spansJson;
    }

    /** Sent: the file goes. */
    public void delivered() {
      try {
        Files.deleteIfExists(claimed);
        usedBytes.addAndGet(-size);
      } catch (IOException cannotDelete) {
        AgentLog.warnOnce("spool:delete", "cannot delete a sent trace from the spool", cannotDelete);
      }
    }

    /** Not sent: the file waits for the next try. */
    public void release() {
      try {
        AtomicFiles.move(claimed, original);
      } catch (IOException cannotRelease) {
        AgentLog.warnOnce("spool:release", "cannot return a trace to the spool", cannotRelease);
      }
    }
  }
}
