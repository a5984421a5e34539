package org.mlflow.agent.sink;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file so that no reader ever sees part of it: the bytes go to a hidden temporary file in
 * the same folder (created readable by its owner only), which is then renamed into place. Folders
 * it creates are private to their owner too: traces hold prompts and answers.
 *
 * <p>The local folder sink writes one file per trace on the exporter thread, so each write is kept
 * to the system calls it needs: one exclusive create (with its permissions), the writes (one for a
 * small trace; a large one is streamed in the mapper's 8 KB pieces, so that no copy of the whole
 * file is made first), a close, a rename. The folder is created only when that create finds it
 * missing, and the temporary name is unique by an exclusive create, not by a secure random number:
 * it guards against a collision, not an attacker (who could not write into a 0700 folder anyway).
 */
final class AtomicFiles {

  /** Temporary files start with this; readers skip them. */
  static final String TEMPORARY_PREFIX = ".";
  static final String TEMPORARY_SUFFIX = ".tmp";

  private static final Set<OpenOption> CREATE_NEW =
      Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
  private static final FileAttribute<?> OWNER_ONLY_FILE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

  private AtomicFiles() {}

  /** What a file holds, written to its stream (buffered by the writer, not closed by it). */
  interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  static void write(Path target, byte[] content) throws IOException {
    write(target, out -> out.write(content));
  }

  /**
   * Writes what {@code content} writes; it may be asked twice (after an interrupt), so it must
   * write the same bytes each time.
   */
  static void write(Path target, Content content) throws IOException {
    try {
      writeOnce(target, content);
    } catch (ClosedByInterruptException interrupted) {
      // A file channel gives up when its thread is interrupted, as a sender is at exit to end a
      // wait; what it was writing must still be kept. Written again with the interrupt put
      // aside, then put back for whoever asked.
      Thread.interrupted();
      try {
        writeOnce(target, content);
      } finally {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void writeOnce(Path target, Content content) throws IOException {
    Path temporary = writeTemporary(target, content);
    try {
      move(temporary, target);
    } catch (IOException | RuntimeException failure) {
      deleteAfter(failure, temporary);
      throw failure;
    }
  }

  /** The content in a new temporary file beside the target, whose folder is created if missing. */
  private static Path writeTemporary(Path target, Content content) throws IOException {
    Path temporary = temporaryBeside(target);
    FileChannel created;
    try {
      created = createOwnerOnly(temporary);
    } catch (NoSuchFileException noFolder) {
      createPrivateDirectories(target.getParent());
      created = createOwnerOnly(temporary);
    } catch (FileAlreadyExistsException taken) { // a random name already in use: another one
      temporary = temporaryBeside(target);
      created = createOwnerOnly(temporary);
    }
    try (FileChannel channel = created) {
      content.writeTo(Channels.newOutputStream(channel)); // closed when the channel is, below
    } catch (IOException | RuntimeException failure) {
      deleteAfter(failure, temporary);
      throw failure;
    }
    return temporary;
  }

  private static void deleteAfter(Exception failure, Path temporary) {
    try {
      Files.deleteIfExists(temporary);
    } catch (IOException notDeleted) {
      failure.addSuppressed(notDeleted);
    }
  }

  /** {@code .<target's name>-<random>.tmp}, in the target's folder. */
  private static Path temporaryBeside(Path target) {
    return target.resolveSibling(TEMPORARY_PREFIX + target.getFileName() + "-"
        + Long.toUnsignedString(ThreadLocalRandom.current().nextLong()) + TEMPORARY_SUFFIX);
  }

  /** Creates the file, which must not exist yet, readable and writable by its owner only. */
  private static FileChannel createOwnerOnly(Path file) throws IOException {
    return file.getFileSystem().supportedFileAttributeViews().contains("posix")
        ? FileChannel.open(file, CREATE_NEW, OWNER_ONLY_FILE)
        : FileChannel.open(file, CREATE_NEW);
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
