package org.mlflow.agent.it.safety;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;

/**
 * Builds a Spring Boot executable jar as spring-boot-maven-plugin's repackage does: Spring Boot's
 * launcher classes at the root, the app's classes in {@code BOOT-INF/classes}, each library as a
 * nested jar stored uncompressed in {@code BOOT-INF/lib}; {@code java -jar} runs the app in
 * Spring Boot's own class loader.
 */
final class BootJar {

  private BootJar() {}

  static Path build(Path target, Path loaderJar, Path classes, List<Path> libraries,
      String startClass) throws IOException {
    Manifest manifest = new Manifest();
    Attributes main = manifest.getMainAttributes();
    main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    main.put(Attributes.Name.MAIN_CLASS, "org.springframework.boot.loader.launch.JarLauncher");
    main.putValue("Start-Class", startClass);
    main.putValue("Spring-Boot-Classes", "BOOT-INF/classes/");
    main.putValue("Spring-Boot-Lib", "BOOT-INF/lib/");
    try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(target), manifest)) {
      try (JarFile loader = new JarFile(loaderJar.toFile())) {
        for (JarEntry entry : (Iterable<JarEntry>) loader.stream()::iterator) {
          if (entry.getName().startsWith("org/") && !entry.isDirectory()) {
            jar.putNextEntry(new JarEntry(entry.getName()));
            try (InputStream in = loader.getInputStream(entry)) {
              in.transferTo(jar);
            }
          }
        }
      }
      jar.putNextEntry(new JarEntry("BOOT-INF/"));
      try (Stream<Path> files = Files.walk(classes)) {
        for (Path file : (Iterable<Path>) files::iterator) {
          String name = "BOOT-INF/classes/"
              + classes.relativize(file).toString().replace('\\', '/');
          if (Files.isDirectory(file)) {
            jar.putNextEntry(new JarEntry(name.endsWith("/") ? name : name + "/"));
          } else {
            jar.putNextEntry(new JarEntry(name));
            Files.copy(file, jar);
          }
        }
      }
      jar.putNextEntry(new JarEntry("BOOT-INF/lib/"));
      for (Path library : libraries) {
        stored(jar, "BOOT-INF/lib/" + library.getFileName(), Files.readAllBytes(library));
      }
    }
    return target;
  }

  /** Nested jars must be stored, not deflated: the launcher reads them in place. */
  private static void stored(JarOutputStream jar, String name, byte[] bytes) throws IOException {
    JarEntry entry = new JarEntry(name);
    entry.setMethod(ZipEntry.STORED);
    entry.setSize(bytes.length);
    CRC32 crc = new CRC32();
    crc.update(bytes);
    entry.setCrc(crc.getValue());
    jar.putNextEntry(entry);
    ((OutputStream) jar).write(bytes);
  }

  static List<Path> jarsOf(String classpath) {
    return Stream.of(classpath.split(java.io.File.pathSeparator))
        .map(Paths::get)
        .filter(path -> path.toString().endsWith(".jar"))
        .collect(java.util.stream.Collectors.toList());
  }
}
