package org.mlflow.agent.methods;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import org.junit.jupiter.api.Test;

class MethodPatternTest {

  /** An application class with every kind of method a pattern must tell apart. */
  @SuppressWarnings("unused")
  abstract static class Assistant {
    private String name;

    public String answer(String question) {
      return question;
    }

    public String answer(String question, int attempts) {
      return question;
    }

    private String retrieve(String query) {
      return query;
    }

    public abstract String plan(String goal);

    public static void main(String[] args) {}

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }

    public boolean isReady() {
      return true;
    }

    @Override
    public String toString() {
      return "Assistant";
    }

    public Runnable later() {
      return () -> {};
    }
  }

  /** The methods of {@link Assistant} the pattern traces, by name, with their overload count. */
  private static Map<String, Integer> traced(String pattern) {
    MethodPattern parsed = MethodPattern.parse(pattern);
    Map<String, Integer> names = new TreeMap<>();
    for (MethodDescription method : TypeDescription.ForLoadedType.of(Assistant.class)
        .getDeclaredMethods()) {
      if (parsed.matchesMethod(method)) {
        names.merge(method.getName(), 1, Integer::sum);
      }
    }
    return names;
  }

  @Test
  void aNamedMethodIsEveryOverloadWhateverItsVisibilityButNeverAbstract() {
    assertEquals(Map.of("answer", 2), traced("x.Assistant#answer"));
    assertEquals(Map.of("retrieve", 1), traced("x.Assistant#retrieve"));
    assertEquals(Map.of(), traced("x.Assistant#plan"));
  }

  @Test
  void aStarIsThePublicMethodsThatDoWorkNotPlumbingNorLambdas() {
    assertEquals(Map.of("answer", 2, "later", 1), traced("x.Assistant#*"));
  }

  @Test
  void aClassIsMatchedExactlyAndAPackageWithoutItsSubPackages() {
    MethodPattern exact = MethodPattern.parse("com.acme.Bot#answer");
    assertTrue(exact.matchesType("com.acme.Bot"));
    assertFalse(exact.matchesType("com.acme.BotFactory"));
    MethodPattern inPackage = MethodPattern.parse("com.acme.rag.*#*");
    assertTrue(inPackage.matchesType("com.acme.rag.Retriever"));
    assertTrue(inPackage.matchesType("com.acme.rag.Retriever$Hit"));
    assertFalse(inPackage.matchesType("com.acme.rag.index.Store"));
    assertFalse(inPackage.matchesType("com.acme.ragged.Store"));
  }

  @Test
  void theSpanTypeIsUnknownUnlessNamedAsPythonsTraceDecorator() {
    assertEquals("UNKNOWN", MethodPattern.parse("com.acme.Bot#answer").spanType());
    assertEquals("AGENT", MethodPattern.parse("com.acme.Bot#answer:agent").spanType());
    assertEquals("TOOL", MethodPattern.parseAll(" a.B#c:TOOL , ").get(0).spanType());
  }

  @Test
  void aBadEntrySaysWhatIsWrongWithIt() {
    for (Map.Entry<String, String> bad : Map.of(
        "com.acme.Bot", "com.acme.Bot has no #<method>",
        "com.acme.Bot#answer:SPEAKER", "com.acme.Bot#answer:SPEAKER names no MLflow span type",
        "com.acme.Bot#an-swer", "com.acme.Bot#an-swer names no method",
        "com.acme..Bot#answer", "com.acme..Bot#answer names no class or package.*",
        "com.acme.**#answer", "com.acme.**#answer names no class or package.*",
        " , ", "no entry").entrySet()) {
      IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
          () -> MethodPattern.parseAll(bad.getKey()));
      assertEquals(bad.getValue(), error.getMessage());
    }
  }

  @Test
  void spanNamesAndParameterNamesComeFromTheClassFile() throws Exception {
    TypeDescription type = TypeDescription.ForLoadedType.of(Assistant.class);
    MethodDescription answer = new MethodDescription.ForLoadedMethod(
        Assistant.class.getMethod("answer", String.class, int.class));
    assertEquals("Assistant.answer", TracedMethods.spanName(type, answer));
    // This test class is compiled without -parameters.
    List<String> expected = List.of("arg0,arg1", "question,attempts");
    assertTrue(expected.contains(TracedMethods.parameterNames(answer)),
        TracedMethods.parameterNames(answer));
  }
}
