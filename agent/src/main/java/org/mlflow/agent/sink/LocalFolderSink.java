package org.mlflow.agent.sink;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.mlflow.agent.AgentJar;
import org.mlflow.agent.AgentLog;
import org.mlflow.agent.export.ExportedTrace;
import org.mlflow.agent.export.JsonCodec;
import org.mlflow.agent.export.MlflowJson;

/**
 * The embedded default: one {@code <trace id>.json} file per trace in a folder, in the shape
 * MLflow's {@code Trace.from_json} reads.
 *
 * <p>Each file is written to a hidden temporary name and renamed into place, so a reader (or a
 * crash) never sees half a trace: a file named {@code tr-*.json} is always whole.
 */
public final class LocalFolderSink implements TraceSink {

  public static final String FILE_SUFFIX = ".json";

  private final Path fallbackFolder;
  private final AtomicLong written = new AtomicLong();
  /** Switches once, to the fallback, when the configured folder cannot be written. */
  private volatile Path folder;

  public LocalFolderSink(Path folder) {
    this(folder, Paths.get(System.getProperty("java.io.tmpdir"),
        "mlflow-traces-" + System.getProperty("user.name", "user")));
  }

  LocalFolderSink(Path folder, Path fallbackFolder) {
    this.folder = folder.toAbsolutePath().normalize();
    this.fallbackFolder = fallbackFolder.toAbsolutePath().normalize();
  }

  public Path folder() {
    return folder;
  }

  @Override
  public void export(ExportedTrace trace) {
    try {
      try {
        write(trace);
      } catch (IOException notWritable) {
        if (folder.equals(fallbackFolder)) {
          throw notWritable;
        }
        // A read-only or foreign folder in production: keep the traces somewhere writable.
        AgentLog.warn("the traces folder " + folder + " is not writable ("
            + AgentLog.describe(notWritable) + "); writing traces to " + fallbackFolder
            + " instead.");
        folder = fallbackFolder;
        write(trace);
      }
      written.incrementAndGet();
    } catch (IOException | RuntimeException failure) {
      AgentLog.warnOnce("local-folder:write",
          "could not write a trace to " + folder + "; traces that cannot be written are lost",
          failure);
    }
  }

  /** Writes one trace file atomically; throws when it could not. */
  public Path write(ExportedTrace trace) throws IOException {
    Path target = folder.resolve(trace.traceId() + FILE_SUFFIX);
    // Streamed into the file: no copy of the whole file's bytes is made first.
    Map<String, Object> file = MlflowJson.traceFile(trace);
    AtomicFiles.write(target, out -> JsonCodec.writeTo(out, file));
    return target;
  }

  @Override
  public String describe() {
    return "folder " + folder;
  }

  @Override
  public Map<String, Long> counters() {
    return Map.of("written", written.get());
  }

  public long written() {
    return written.get();
  }

  @Override
  public void close() {
    if (written.get() > 0) {
      AgentLog.info(written.get() + " trace(s) written to " + folder + " (list them: java -jar "
          + AgentJar.path() + " show " + folder + ")");
    }
  }
}
