package org.mlflow.agent.sink;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes a file so that no reader ever sees part of it: the bytes go to a hidden temporary file in
 * the same folder (created readable by its owner only), which is then renamed into place. Folders
 * it creates are private to their owner too: traces hold prompts and answers.
 */
final class AtomicFiles {

  /** Temporary files start with this; readers skip them. */
  static final String TEMPORARY_PREFIX = ".";
  static final String TEMPORARY_SUFFIX = ".tmp";

  private AtomicFiles() {}

  static void write(Path target, byte[] content) throws IOException {
    Path folder = target.getParent();
    createPrivateDirectories(folder);
    Path temporary = Files.createTempFile(folder,
        TEMPORARY_PREFIX + target.getFileName() + "-", TEMPORARY_SUFFIX);
    try {
      Files.write(temporary, content);
      move(temporary, target);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  /**
   * Creates a folder and its missing parents, on a POSIX file system with {@code rwx------}
   * (0700): without it they would get the umask's usual 0755, and anyone on the machine could
   * list and open the traces. A folder that exists already keeps the permissions its owner gave it.
   */
  static void createPrivateDirectories(Path folder) throws IOException {
    if (Files.isDirectory(folder)) {
      return;
    }
    if (folder.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.createDirectories(folder,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } else {
      Files.createDirectories(folder);
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
