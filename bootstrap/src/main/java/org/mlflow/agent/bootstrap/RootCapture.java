package org.mlflow.agent.bootstrap;

/**
 * Reads what a pending root ({@link Tracing#pendRoot}) keeps of its call, on the application
 * thread, at the moments the call's objects are still valid: when something traced starts inside
 * the call (the root then becomes a span) and when the call ends. A server's request and response
 * objects are recycled once the request is done, so they cannot be read later on the exporter
 * thread; what these methods return must be a snapshot (plain values) that stays valid.
 *
 * <p>Registered by the agent ({@link Tracing#registerRootCapture}); the bridge calls it only for
 * the roots that become spans, so a call with nothing traced inside costs no reading at all.
 * Implementations must be quick and must not throw (a failure leaves the root unnamed and empty).
 */
public interface RootCapture {

  /** The root span's name, e.g. {@code POST /chat}. */
  String name(Object call);

  /** The snapshot kept as the root span's request, for its renderer. */
  Object request(Object call);

  /** The snapshot kept as the root span's response, read from what the call produced. */
  Object response(Object result);
}
