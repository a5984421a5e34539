package org.mlflow.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

class ReactiveCallsTest {

  private List<Span> ended;

  @BeforeEach
  void install() {
    ended = RecordingSink.install().ended();
  }

  @AfterEach
  void uninstall() {
    RecordingSink.uninstall();
  }

  @SuppressWarnings("unchecked")
  private static <T> Flux<T> observedFlux(Flux<T> flux, Span span) {
    return (Flux<T>) ReactiveCalls.observeFlux(flux, span);
  }

  @SuppressWarnings("unchecked")
  private static <T> Mono<T> observedMono(Mono<T> mono, Span span) {
    return (Mono<T>) ReactiveCalls.observeMono(mono, span);
  }

  @Test
  void aFluxReadToItsEndEndsTheSpanOnceWithEveryItemAsAChunk() {
    Span span = Tracing.start("k", "stream", "CHAT_MODEL", "request");
    Flux<String> flux = observedFlux(Flux.just("a", "b", "c"), span);

    assertNull(Tracing.current(), "the call returned: its span is off the thread");
    assertTrue(ended.isEmpty(), "nothing is read before the application subscribes");
    assertEquals(List.of("a", "b", "c"), flux.collectList().block());

    assertEquals(List.of(span), ended);
    assertNull(span.error());
    assertEquals(3, span.chunkCount());
    assertEquals("c", span.chunk(2));
  }

  @Test
  void aFailingFluxEndsTheSpanWithTheFailureAndTheAppGetsIt() {
    IllegalStateException failure = new IllegalStateException("stream broke");
    Span span = Tracing.start("k", "stream", "CHAT_MODEL", "request");
    Flux<String> flux = observedFlux(Flux.just("a").concatWith(Flux.error(failure)), span);

    IllegalStateException seen = assertThrows(IllegalStateException.class,
        () -> flux.collectList().block());

    assertSame(failure, seen);
    assertEquals(List.of(span), ended);
    assertSame(failure, span.error());
    assertEquals(1, span.chunkCount());
  }

  @Test
  void aCancelledFluxEndsTheSpanWithWhatWasRead() {
    Span span = Tracing.start("k", "stream", "CHAT_MODEL", "request");
    Flux<Integer> flux = observedFlux(Flux.range(1, 100), span);

    assertEquals(List.of(1), flux.take(1).collectList().block());

    assertEquals(List.of(span), ended);
    assertNull(span.error());
    assertEquals(1, span.chunkCount());
  }

  @Test
  void callsMadeWhileSubscribingOnAnotherThreadAreChildrenOfTheSpan() {
    Span span = Tracing.start("k", "stream", "CHAT_MODEL", "request");
    List<Span> startedInside = new CopyOnWriteArrayList<>();
    Flux<String> lazy = Flux.defer(() -> {
      Span http = Tracing.start("k", "Completions", "CHAT_MODEL", "http");
      startedInside.add(http);
      Tracing.end(http, null, null);
      return Flux.just("x");
    });
    Flux<String> flux = observedFlux(lazy, span);

    assertEquals(List.of("x"),
        flux.subscribeOn(Schedulers.single()).collectList().block());

    assertEquals(1, startedInside.size());
    assertEquals(span.spanId(), startedInside.get(0).parentSpanId());
    assertEquals(List.of(startedInside.get(0), span), ended);
  }

  @Test
  void aMonoEndsTheSpanWithItsValueOrItsFailure() {
    Span span = Tracing.start("k", "tool", "TOOL", "request");
    assertEquals("result", observedMono(Mono.just("result"), span).block());
    assertEquals("result", span.response());

    IllegalArgumentException failure = new IllegalArgumentException("no such tool");
    Span failed = Tracing.start("k", "tool", "TOOL", "request");
    assertSame(failure, assertThrows(IllegalArgumentException.class,
        () -> observedMono(Mono.<String>error(failure), failed).block()));
    assertSame(failure, failed.error());

    Span cancelled = Tracing.start("k", "tool", "TOOL", "request");
    observedMono(Mono.<String>never(), cancelled).subscribe().dispose();

    assertEquals(List.of(span, failed, cancelled), ended);
    assertNull(cancelled.error());
  }

  @Test
  void anUnrecordedCallOrAnotherObjectIsHandedBackAsItIs() {
    Flux<String> flux = Flux.just("a");
    assertSame(flux, ReactiveCalls.observeFlux(flux, Tracing.NOT_RECORDED));
    assertSame(flux, ReactiveCalls.observeFlux(flux, null));

    Span span = Tracing.start("k", "stream", "CHAT_MODEL", "request");
    Object notAFlux = "not a flux";
    assertSame(notAFlux, ReactiveCalls.observeFlux(notAFlux, span));
    assertEquals(List.of(span), ended);
    assertNull(Tracing.current());
  }
}
