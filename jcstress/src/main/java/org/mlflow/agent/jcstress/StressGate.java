package org.mlflow.agent.jcstress;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.openjdk.jcstress.JCStress;
import org.openjdk.jcstress.Options;

/**
 * Runs this module's jcstress tests and fails (exit 1) unless every one passed: jcstress's own
 * main reports failures but exits 0, which would let a build pass over a forbidden outcome.
 *
 * <p>Arguments: the jcstress mode (sanity, quick, default, tough) and the results folder.
 */
public final class StressGate {

  private StressGate() {}

  public static void main(String[] args) throws Exception {
    ByteArrayOutputStream report = new ByteArrayOutputStream();
    PrintStream console = System.out;
    System.setOut(new PrintStream(new Tee(console, report), true, StandardCharsets.UTF_8));
    Options options = new Options(new String[] {
        "-m", args[0], "-r", args[1], "-t", "org\\.mlflow\\.agent\\.jcstress\\..*"});
    options.parse();
    new JCStress(options).run();
    System.setOut(console);
    String text = report.toString(StandardCharsets.UTF_8);
    boolean ran = text.contains("RUN RESULTS:");
    boolean clean = text.contains("Failed tests: No matches.")
        && text.contains("Error tests: No matches.");
    if (!ran || !clean) {
      System.err.println("jcstress: forbidden, unknown or failed outcomes above; see " + args[1]);
      System.exit(1);
    }
    System.out.println("jcstress: every outcome of every test was allowed");
  }

  private static final class Tee extends java.io.OutputStream {
    private final java.io.OutputStream first;
    private final java.io.OutputStream second;

    Tee(java.io.OutputStream first, java.io.OutputStream second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public void write(int b) throws java.io.IOException {
      first.write(b);
      second.write(b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws java.io.IOException {
      first.write(bytes, offset, length);
      second.write(bytes, offset, length);
    }
  }
}
