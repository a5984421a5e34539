package org.mlflow.agent.it.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Looks for secrets in text and in every file under a folder, as bytes (any encoding). */
public final class SecretScan {

  private SecretScan() {}

  public static void assertAbsent(List<String> secrets, String where, String text) {
    for (String secret : secrets) {
      if (text.contains(secret)) {
        fail("a secret (" + secret.substring(0, 6) + "...) leaked into " + where);
      }
    }
  }

  /**
   * Every regular file under {@code folder}; JFR recordings are skipped: the JVM itself records
   * its environment there.
   *
   * @return the number of files scanned
   */
  public static int assertAbsentUnder(List<String> secrets, Path folder) {
    if (!Files.isDirectory(folder)) {
      return 0;
    }
    int scanned = 0;
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)
          .filter(f -> !f.toString().endsWith(".jfr"))::iterator) {
        // ISO-8859-1 maps every byte to one char, so a secret's ASCII bytes are found anywhere.
        assertAbsent(secrets, file.toString(),
            new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
        scanned++;
      }
    } catch (IOException unreadable) {
      throw new UncheckedIOException(unreadable);
    }
    return scanned;
  }
}
