package org.mlflow.agent.benchmarks.export;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.mlflow.agent.bootstrap.Span;
import org.mlflow.agent.bootstrap.SpanSink;
import org.mlflow.agent.bootstrap.Tracing;
import org.mlflow.agent.core.ContentPolicy;
import org.mlflow.agent.core.SpanRenderer;
import org.mlflow.agent.core.TraceBuilder;
import org.mlflow.agent.export.ExportedTrace;
import org.mlflow.agent.export.JsonCodec;
import org.mlflow.agent.export.MlflowJson;
import org.mlflow.agent.sink.DeliveryException;
import org.mlflow.agent.sink.MlflowRestClient;
import org.mlflow.agent.sink.MlflowServerDelivery;
import org.mlflow.agent.sink.TraceDelivery;

/**
 * The MLflow server's own ceiling for the agent's traces: the same chat traces, serialized as
 * {@code ServerSink} serializes them, posted straight to the server by {@code senders} threads,
 * each with its own {@link MlflowRestClient} (the agent's REST calls: PUT {@code traces.json}
 * through the artifact proxy, then StartTraceV3). One more thread renders the traces ahead into
 * a small queue, as the agent's exporter thread does for its sender, so the senders only send.
 */
final class ServerCeiling implements SpanSink {

  private static final int RENDERED_AHEAD = 256;

  private final ChatSpans chat;
  private final SpanRenderer renderer;
  private final TraceBuilder builder;

  ServerCeiling(ChatSpans chat, String experimentId) {
    this.chat = chat;
    this.renderer = new SpanRenderer(chat.renderers(), new ContentPolicy(true, 1_000_000));
    this.builder = new TraceBuilder(experimentId, Map.of());
  }

  /** Traces per second the server took from {@code senders} threads, after a warm-up. */
  double tracesPerSecond(URI trackingUri, String experimentId, int senders, double warmupSeconds,
      double seconds) throws InterruptedException {
    BlockingQueue<Rendered> rendered = new ArrayBlockingQueue<>(RENDERED_AHEAD);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong sent = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    Thread renderer = new Thread(() -> renderInto(rendered, stop), "ceiling-renderer");
    threads.add(renderer);
    List<TraceDelivery> clients = new ArrayList<>();
    for (int i = 0; i < senders; i++) {
      TraceDelivery client = new MlflowServerDelivery(new MlflowRestClient(trackingUri,
          trackingUri.toString(), experimentId, null, null), "benchmark", "ceiling");
      clients.add(client);
      threads.add(new Thread(() -> sendFrom(rendered, client, stop, sent, failed),
          "ceiling-sender"));
    }
    // The bridge records only with a span sink installed; the renderer thread alone records.
    Tracing.install(this, 1.0);
    // Daemons, and a flag besides the interrupt: OkHttp may swallow an interrupt mid-send.
    threads.forEach(thread -> thread.setDaemon(true));
    threads.forEach(Thread::start);
    try {
      Thread.sleep((long) (warmupSeconds * 1000));
      long sentBefore = sent.get();
      long start = System.nanoTime();
      Thread.sleep((long) (seconds * 1000));
      long sentAfter = sent.get();
      long elapsed = System.nanoTime() - start;
      if (failed.get() > 0) {
        throw new IllegalStateException(failed.get() + " direct sends failed");
      }
      return (sentAfter - sentBefore) * 1e9 / elapsed;
    } finally {
      stop.set(true);
      threads.forEach(Thread::interrupt);
      for (Thread thread : threads) {
        thread.join(TimeUnit.SECONDS.toMillis(40)); // a send in progress ends by its timeout
      }
      clients.forEach(TraceDelivery::close);
      Tracing.install(null, 1.0);
    }
  }

  private void renderInto(BlockingQueue<Rendered> rendered, AtomicBoolean stop) {
    try {
      while (!stop.get()) {
        rendered.put(renderOne());
      }
    } catch (InterruptedException stopped) {
      // measured enough
    } catch (IOException impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  private static void sendFrom(BlockingQueue<Rendered> rendered, TraceDelivery client,
      AtomicBoolean stop, AtomicLong sent, AtomicLong failed) {
    try {
      while (!stop.get()) {
        Rendered trace = rendered.take();
        try {
          client.send(trace.traceId, trace.info, trace.spansJson);
          sent.incrementAndGet();
        } catch (DeliveryException failure) {
          if (stop.get()) {
            return; // stopped mid-send
          }
          failed.incrementAndGet();
          System.err.println("[benchmark] a direct send failed: " + failure.getMessage());
        }
      }
    } catch (InterruptedException stopped) {
      // measured enough
    }
  }

  /** One new chat trace (new ids), as {@code ServerSink.export} serializes it. */
  private Rendered renderOne() throws IOException {
    ExportedTrace trace = builder.build(List.of(renderer.render(chat.record())));
    return new Rendered(trace.traceId(), MlflowJson.traceFileInfo(trace),
        JsonCodec.mapper().writeValueAsBytes(MlflowJson.spansDocument(trace.spans())));
  }

  @Override
  public void rootStarted(Span root) {}

  @Override
  public void spanEnded(Span span) {
    // renderOne renders the span it recorded
  }

  @Override
  public void adviceFailed(Throwable error) {
    throw new IllegalStateException(error);
  }

  private static final class Rendered {
    final String traceId;
    final Map<String, Object> info;
    final byte[] spansJson;

    Rendered(String traceId, Map<String, Object> info, byte[] spansJson) {
      this.traceId = traceId;
      this.info = info;
      this.spansJson = spansJson;
    }
  }
}
