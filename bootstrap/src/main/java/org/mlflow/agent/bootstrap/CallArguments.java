package org.mlflow.agent.bootstrap;

import java.util.ArrayList;
import java.util.List;

/**
 * A call's arguments kept as its request. Callers often keep growing the list they pass (a chat
 * history, a tool loop's turns) right after the call returns, while the span is rendered later on
 * another thread; so a {@link List} argument is copied, shallowly, at the call. Other arguments
 * are kept by reference (the libraries' request objects are immutable).
 */
public final class CallArguments {

  private CallArguments() {}

  public static Object[] of(Object... arguments) {
    for (int i = 0; i < arguments.length; i++) {
      if (arguments[i] instanceof List) {
        arguments[i] = new ArrayList<Object>((List<?>) arguments[i]);
      }
    }
    return arguments;
  }
}
