package org.mlflow.agent.sink;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a file so that no reader ever sees part of it: the bytes go to a hidden temporary file in
 * the same folder (created readable by its owner only), which is then renamed into place.
 */
final class AtomicFiles {

  /** Temporary files start with this; readers skip them. */
  static final String TEMPORARY_PREFIX = ".";

  private AtomicFiles() {}

  static void write(Path target, byte[] content) throws IOException {
    Path folder = target.getParent();
    Files.createDirectories(folder);
    Path temporary =
        Files.createTempFile(folder, TEMPORARY_PREFIX + target.getFileName() + "-", ".tmp");
    try {
      Files.write(temporary, content);
      move(temporary, target);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  /** Renames atomically where the file system can, replacing the target. */
  static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException notAtomic) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
