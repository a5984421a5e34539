package org.mlflow.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StartupGateTest {

  private static final byte[] ORIGINAL = {1, 2, 3};
  private static final byte[] WOVEN = {9, 9, 9};

  /** Stands for Byte Buddy's transformer: weaves every class it is handed. */
  private static final ClassFileTransformer WEAVER = new ClassFileTransformer() {
    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> redefined,
        ProtectionDomain domain, byte[] classFile) {
      return WOVEN;
    }
  };

  private final StartupGate gate = new StartupGate(List.of("com/openai/services/"));

  @Test
  void aLibraryClassLoadingBeforeTheWeaverIsReadyWaitsForItAndIsWoven() throws Exception {
    CompletableFuture<byte[]> load = new CompletableFuture<>();
    Thread loader = new Thread(() ->
        load.complete(load("com/openai/services/blocking/ChatCompletionServiceImpl")));
    loader.start();

    while (loader.getState() != Thread.State.TIMED_WAITING) {
      assertFalse(load.isDone(), "the library class must wait for the weaver");
      Thread.onSpinWait();
    }
    gate.open(WEAVER);

    assertArrayEquals(WOVEN, load.get(10, TimeUnit.SECONDS));
  }

  @Test
  void otherClassesPassAtOnceAndAreListedForALaterCheck() {
    assertNull(load("com/acme/App"), "the app's own classes never wait for the weaver");

    Set<String> passed = gate.open(WEAVER);

    assertEquals(Set.of("com/acme/App"), passed);
  }

  @Test
  void theJdksClassesAreNotListed() throws Exception {
    assertNull(gate.transform(null, null, "java/util/Formatter", null, null, ORIGINAL));

    assertEquals(Set.of(), gate.open(WEAVER));
  }

  @Test
  void onceOpenEveryClassGoesToTheWeaver() {
    gate.open(WEAVER);

    assertArrayEquals(WOVEN, load("com/acme/App"));
    assertArrayEquals(WOVEN, load("com/openai/services/async/EmbeddingServiceAsyncImpl"));
  }

  @Test
  void theAgentsOwnTheJdksAndOtherAgentsClassesNeverReachTheWeaver() throws Exception {
    gate.open(WEAVER);

    assertNull(load("org/mlflow/agent/shaded/bytebuddy/pool/TypePool$Default"));
    assertNull(load("java/util/Formatter"));
    assertNull(load("io/opentelemetry/javaagent/tooling/AgentInstaller"));
    assertArrayEquals(WOVEN, load("javax/servlet/http/HttpServlet"), "no JDK package");
    // Whatever another agent's own class loader defines, even outside its packages.
    ClassLoader otelAgentLoader = new io.opentelemetry.javaagent.bootstrap.AgentClassLoader();
    assertNull(gate.transform(null, otelAgentLoader, "io/opentelemetry/sdk/trace/SdkSpan", null,
        null, ORIGINAL));
  }

  @Test
  void aWeaverThatCouldNotBeBuiltLetsEverythingPassUnwoven() throws Exception {
    CompletableFuture<byte[]> load = CompletableFuture.supplyAsync(() ->
        load("com/openai/services/blocking/EmbeddingServiceImpl"));

    gate.open(null);

    assertNull(load.get(10, TimeUnit.SECONDS));
    assertNull(load("com/acme/App"));
  }

  @Test
  void anInterruptedLoadKeepsItsInterruptAndPassesUnwoven() {
    Thread.currentThread().interrupt();
    try {
      assertNull(load("com/openai/services/blocking/ChatCompletionServiceImpl"));
      assertTrue(Thread.currentThread().isInterrupted());
    } finally {
      Thread.interrupted();
    }
    assertEquals(Set.of("com/openai/services/blocking/ChatCompletionServiceImpl"),
        gate.open(WEAVER));
  }

  private byte[] load(String className) {
    try {
      return gate.transform(null, getClass().getClassLoader(), className, null, null, ORIGINAL);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
