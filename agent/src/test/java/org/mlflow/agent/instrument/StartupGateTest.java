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

  /** A library type an app class may implement; not on this test's class path. */
  private static final String ABSENT_TYPE = "org/springframework/ai/chat/model/ChatModel";
  /** Stands for such a type where the loader does see it: on this test's class path. */
  private static final String VISIBLE_TYPE = "org/junit/jupiter/api/Test";

  private final StartupGate gate =
      new StartupGate(List.of("com/openai/services/"), List.of(VISIBLE_TYPE));

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
  void onceOpenEveryClassThatMayBeHookedGoesToTheWeaver() {
    gate.open(WEAVER);

    assertArrayEquals(WOVEN, load("com/acme/App"), "its loader sees a type implemented anywhere");
    assertArrayEquals(WOVEN, load("com/openai/services/async/EmbeddingServiceAsyncImpl"));
  }

  @Test
  void aClassOutsideTheLibrariesWhoseLoaderSeesNoTypeImplementedAnywhereNeverReachesTheWeaver() {
    StartupGate openAiOnly = new StartupGate(List.of("com/openai/services/"), List.of());
    StartupGate springAiAbsent =
        new StartupGate(List.of("com/openai/services/"), List.of(ABSENT_TYPE));

    for (StartupGate each : List.of(openAiOnly, springAiAbsent)) {
      assertNull(load(each, "com/acme/App"));
      assertEquals(Set.of(), each.open(WEAVER), "nothing to check once the weaver is ready");
      assertNull(load(each, "com/acme/App"), "not handed to Byte Buddy, which would parse it");
      assertArrayEquals(WOVEN, load(each, "com/openai/services/async/EmbeddingServiceAsyncImpl"));
    }
  }

  @Test
  void aLoaderThatSawNoSuchTypeIsAskedAgainOnceAClassOfItsPackageLoads() {
    StartupGate lateGate = new StartupGate(List.of("com/openai/services/"), List.of(ABSENT_TYPE));
    lateGate.open(WEAVER);
    GrowingLoader loader = new GrowingLoader();
    assertNull(load(lateGate, loader, "com/acme/App"));

    loader.sees = ABSENT_TYPE + ".class"; // its class path grew: the library is there now
    assertNull(load(lateGate, loader, "com/acme/Other"), "the first answer is remembered");
    load(lateGate, loader, "org/springframework/ai/chat/model/Generation");

    assertArrayEquals(WOVEN, load(lateGate, loader, "com/acme/ChatBot"));
  }

  /** A class loader whose class path gains a resource while the test runs. */
  private static final class GrowingLoader extends ClassLoader {
    volatile String sees = "";

    GrowingLoader() {
      super(null);
    }

    @Override
    public java.net.URL getResource(String name) {
      return name.equals(sees) ? StartupGateTest.class.getResource("StartupGateTest.class") : null;
    }
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
    return load(gate, className);
  }

  private byte[] load(StartupGate gate, String className) {
    return load(gate, getClass().getClassLoader(), className);
  }

  private static byte[] load(StartupGate gate, ClassLoader loader, String className) {
    try {
      return gate.transform(null, loader, className, null, null, ORIGINAL);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
