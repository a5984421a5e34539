package org.mlflow.agent.it.safety;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseTransformerV2;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.Response;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import java.util.ArrayList;
import java.util.List;

/**
 * A WireMock proxy in front of the real MLflow server, on 127.0.0.1 over HTTP and HTTPS (its own
 * self-signed certificate): it passes every request through until a fault is injected, and again
 * once the fault is cleared.
 */
final class FaultyProxy implements AutoCloseable {

  /** A stub's transformer that lets the server take the request, then breaks its answer. */
  static final String BREAK_ANSWER = "break-answer-after-proxying";

  private final WireMockServer wireMock;
  private final String target;
  private final List<StubMapping> faults = new ArrayList<>();

  FaultyProxy(String target) {
    this.target = target;
    wireMock = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort()
        .dynamicHttpsPort().maxRequestJournalEntries(20_000)
        .extensions(new BreakAnswerAfterProxying()));
    wireMock.start();
    wireMock.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().proxiedFrom(target)));
  }

  String httpUrl() {
    return "http://127.0.0.1:" + wireMock.port();
  }

  String httpsUrl() {
    return "https://127.0.0.1:" + wireMock.httpsPort();
  }

  /** Where the proxied requests go, for faults that let the server take the request. */
  String target() {
    return target;
  }

  /** A fault for the requests it matches, over the pass-through, until {@link #clearFaults}. */
  void inject(MappingBuilder fault) {
    faults.add(wireMock.stubFor(fault.atPriority(1)));
  }

  void clearFaults() {
    faults.forEach(wireMock::removeStub);
    faults.clear();
  }

  /** The requests this proxy received, oldest first. */
  List<ServeEvent> served() {
    List<ServeEvent> events = new ArrayList<>(wireMock.getAllServeEvents());
    events.sort((a, b) -> a.getRequest().getLoggedDate().compareTo(b.getRequest().getLoggedDate()));
    return events;
  }

  @Override
  public void close() {
    wireMock.stop();
  }

  /** The server took the request and answered; the client gets a status line, then garbage. */
  private static final class BreakAnswerAfterProxying implements ResponseTransformerV2 {
    @Override
    public Response transform(Response response, ServeEvent serveEvent) {
      return Response.Builder.like(response).fault(Fault.MALFORMED_RESPONSE_CHUNK).build();
    }

    @Override
    public boolean applyGlobally() {
      return false;
    }

    @Override
    public String getName() {
      return BREAK_ANSWER;
    }
  }
}
