package org.mlflow.agent.bootstrap;

import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Which span a streamed response object that is still being read belongs to, for response classes
 * the agent can neither proxy nor give a field (a class, not an interface). Responses are held
 * weakly and found by identity.
 *
 * <p>Lock-free: the entries are an immutable array replaced by compare-and-set, so readers never
 * wait and writers retry instead of blocking. Few streams are open at once, so a lookup is a short
 * scan; entries whose response was collected or whose span ended are dropped on every write.
 */
final class OpenResponses {

  /** Past this many open streams, new ones are not observed (their spans end at once). */
  static final int MAX_OPEN = 4096;

  private static final Entry[] NONE = new Entry[0];

  private final AtomicReference<Entry[]> entries = new AtomicReference<>(NONE);

  /** Remembers that reading {@code response} belongs to {@code span}; false when full. */
  boolean add(Object response, Span span) {
    while (true) {
      Entry[] current = entries.get();
      Entry[] kept = live(current, null);
      if (kept.length >= MAX_OPEN) {
        return false;
      }
      Entry[] next = java.util.Arrays.copyOf(kept, kept.length + 1);
      next[kept.length] = new Entry(response, span);
      if (entries.compareAndSet(current, next)) {
        return true;
      }
    }
  }

  /** The open span of {@code response}, or null. */
  Span find(Object response) {
    for (Entry entry : entries.get()) {
      if (entry.get() == response) {
        return entry.span;
      }
    }
    return null;
  }

  /** Forgets {@code response}, so its span and what it holds can be collected. */
  void remove(Object response) {
    while (true) {
      Entry[] current = entries.get();
      Entry[] kept = live(current, response);
      if (kept.length == current.length || entries.compareAndSet(current, kept)) {
        return;
      }
    }
  }

  int size() {
    return entries.get().length;
  }

  /** The entries still open, without {@code dropped}'s. */
  private static Entry[] live(Entry[] current, Object dropped) {
    int count = 0;
    Entry[] kept = new Entry[current.length];
    for (Entry entry : current) {
      Object response = entry.get();
      if (response != null && response != dropped && !entry.span.hasEnded()) {
        kept[count++] = entry;
      }
    }
    return count == 0 ? NONE : java.util.Arrays.copyOf(kept, count);
  }

  private static final class Entry extends WeakReference<Object> {
    final Span span;

    Entry(Object response, Span span) {
      super(response);
      this.span = span;
    }
  }
}
