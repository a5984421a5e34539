package io.opentelemetry.javaagent.bootstrap;

/** Stands for the OpenTelemetry Java agent's own class loader, told apart by its class name. */
public class AgentClassLoader extends ClassLoader {}
