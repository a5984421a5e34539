package org.mlflow.agent.bootstrap;

import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Open spans found by an object of the call they belong to, where neither a thread nor a field can
 * carry them: a streamed response of a class (not an interface) that is still being read, the
 * request config shared by the steps of a loop that runs on other threads. Objects are held weakly
 * and found by identity.
 *
 * <p>Lock-free: the entries are an immutable array replaced by compare-and-set, so readers never
 * wait and writers retry instead of blocking. Few such calls are open at once, so a lookup is a
 * short scan; entries whose object was collected or whose span ended are dropped on every write.
 */
final class BoundSpans {

  /** Past this many bound spans, new ones are not bound ({@link #add} says so). */
  static final int MAX_BOUND = 4096;

  private static final Entry[] NONE = new Entry[0];

  private final AtomicReference<Entry[]> entries = new AtomicReference<>(NONE);

  /** Remembers that {@code object} belongs to {@code span}; false when full. */
  boolean add(Object object, Span span) {
    while (true) {
      Entry[] current = entries.get();
      Entry[] kept = live(current, null);
      if (kept.length >= MAX_BOUND) {
        return false;
      }
      Entry[] next = java.util.Arrays.copyOf(kept, kept.length + 1);
      next[kept.length] = new Entry(object, span);
      if (entries.compareAndSet(current, next)) {
        return true;
      }
    }
  }

  /** The open span {@code object} belongs to, or null. */
  Span find(Object object) {
    for (Entry entry : entries.get()) {
      if (entry.get() == object) {
        return entry.span;
      }
    }
    return null;
  }

  /** Forgets {@code object}, so its span and what it holds can be collected. */
  void remove(Object object) {
    while (true) {
      Entry[] current = entries.get();
      Entry[] kept = live(current, object);
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
      Object object = entry.get();
      if (object != null && object != dropped && !entry.span.hasEnded()) {
        kept[count++] = entry;
      }
    }
    return count == 0 ? NONE : java.util.Arrays.copyOf(kept, count);
  }

  private static final class Entry extends WeakReference<Object> {
    final Span span;

    Entry(Object object, Span span) {
      super(object);
      this.span = span;
    }
  }
}
