package org.mlflow.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/** The built agent jar: what the JVM needs to load it, and no third-party class left unrelocated. */
class AgentJarIT {

  private static JarFile agentJar() throws Exception {
    Path jar = Paths.get(System.getProperty("agent.jar"));
    return new JarFile(jar.toFile());
  }

  @Test
  void everyClassLivesUnderTheAgentsOwnPackage() throws Exception {
    try (JarFile jar = agentJar()) {
      List<String> strays = Collections.list(jar.entries()).stream()
          .map(ZipEntry::getName)
          .filter(name -> name.endsWith(".class"))
          .filter(name -> !name.startsWith("org/mlflow/agent/"))
          .collect(Collectors.toList());
      assertEquals(List.of(), strays, "unrelocated classes in the agent jar");
      long shaded = Collections.list(jar.entries()).stream()
          .filter(entry -> entry.getName().startsWith("org/mlflow/agent/shaded/"))
          .count();
      assertTrue(shaded > 1000, "Byte Buddy, Jackson, OkHttp, Okio and Kotlin are bundled");
    }
  }

  @Test
  void theBootstrapBridgeIsNestedNotLoose() throws Exception {
    try (JarFile jar = agentJar()) {
      assertNotNull(jar.getEntry(AgentPremain.BOOTSTRAP_JAR_RESOURCE));
      assertEquals(null, jar.getEntry("org/mlflow/agent/bootstrap/Tracing.class"),
          "bridge classes must only come from the bootstrap class loader");
    }
  }

  @Test
  void theManifestMakesItAnAgentAndATool() throws Exception {
    try (JarFile jar = agentJar()) {
      Attributes main = jar.getManifest().getMainAttributes();
      assertEquals("org.mlflow.agent.AgentPremain", main.getValue("Premain-Class"));
      assertEquals("org.mlflow.agent.AgentPremain", main.getValue("Agent-Class"));
      assertEquals("org.mlflow.agent.cli.AgentCli", main.getValue("Main-Class"));
      assertEquals("true", main.getValue("Can-Retransform-Classes"));
      assertNotNull(main.getValue("Implementation-Version"));
    }
  }
}
