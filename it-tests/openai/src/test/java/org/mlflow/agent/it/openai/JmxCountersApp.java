package org.mlflow.agent.it.openai;

import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Runs {@link OpenAiChatApp}, then reads the agent's counters from its own platform MBean server
 * as a monitoring tool would, until it sees the three traces exported, and prints them.
 *
 * <p>Arguments: the OpenAI base URL.
 */
public final class JmxCountersApp {

  private JmxCountersApp() {}

  public static void main(String[] args) throws Exception {
    OpenAiChatApp.main(args);
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    ObjectName name = new ObjectName("org.mlflow.agent:type=Exporter");
    long deadline = System.currentTimeMillis() + 60_000;
    // The agent registers its MBean and ships traces on its own threads: poll as a monitor does.
    while (!server.isRegistered(name)
        || (Long) server.getAttribute(name, "TracesExported") < 3) {
      if (System.currentTimeMillis() > deadline) {
        System.out.println("timed out; registered=" + server.isRegistered(name));
        return;
      }
      Thread.sleep(50);
    }
    for (String attribute : new String[] {"TracesCompleted", "TracesExported", "TracesRetried",
        "TracesSpooled", "QueueDepth", "TracesTimedOut"}) {
      System.out.println(attribute + "=" + server.getAttribute(name, attribute));
    }
    System.out.println("DroppedByReason rows="
        + ((javax.management.openmbean.TabularData) server.getAttribute(name, "DroppedByReason"))
            .size());
  }
}
