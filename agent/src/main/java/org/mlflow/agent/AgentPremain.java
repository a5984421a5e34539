package org.mlflow.agent;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.jar.JarFile;

/**
 * The {@code Premain-Class} and {@code Agent-Class}. It must not touch any other agent class
 * before the bootstrap bridge is on the bootstrap class loader: agent classes link against the
 * bridge, and the bridge must be the one copy every library class loader sees.
 *
 * <p>Whatever happens here, the application starts: failures are one line on stderr.
 */
public final class AgentPremain {

  /** The bridge jar, packed inside the agent jar by the build. */
  public static final String BOOTSTRAP_JAR_RESOURCE = "META-INF/mlflow-agent/mlflow-tracing-bootstrap.jar";

  private AgentPremain() {}

  public static void premain(String arguments, Instrumentation instrumentation) {
    start(instrumentation, "install");
  }

  public static void agentmain(String arguments, Instrumentation instrumentation) {
    start(instrumentation, "installLate");
  }

  private static void start(Instrumentation instrumentation, String installer) {
    try {
      instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(extractBootstrapJar()));
      Class.forName("org.mlflow.agent.AgentInstaller")
          .getMethod(installer, Instrumentation.class)
          .invoke(null, instrumentation);
    } catch (Throwable failure) {
      Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
      System.err.println("[mlflow-agent] ERROR the agent could not start and traces nothing; the"
          + " application runs as usual: " + cause);
    }
  }

  private static java.io.File extractBootstrapJar() throws IOException {
    Path jar = newPrivateFile(Path.of(System.getProperty("java.io.tmpdir")));
    jar.toFile().deleteOnExit();
    try (InputStream in = AgentPremain.class.getClassLoader()
        .getResourceAsStream(BOOTSTRAP_JAR_RESOURCE)) {
      if (in == null) {
        throw new IOException(BOOTSTRAP_JAR_RESOURCE + " is missing from the agent jar");
      }
      Files.copy(in, jar, StandardCopyOption.REPLACE_EXISTING);
    }
    return jar.toFile();
  }

  /**
   * A new file readable and writable by this user only. Like {@code Files.createTempFile}, it never
   * opens a file that already exists (a name someone else took is skipped), but without the
   * {@code SecureRandom} that method seeds, which costs the application's start some 20 ms: the
   * name need not be secret, only new.
   */
  private static Path newPrivateFile(Path folder) throws IOException {
    long name = System.nanoTime();
    for (int attempt = 0; ; attempt++) {
      Path file = folder.resolve("mlflow-tracing-bootstrap-" + Long.toHexString(name + attempt)
          + ".jar");
      try {
        return Files.createFile(file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException notPosix) {
        return Files.createFile(file); // Windows: the user's temp folder is private already
      } catch (FileAlreadyExistsException taken) {
        if (attempt == 1000) {
          throw taken;
        }
      }
    }
  }
}
