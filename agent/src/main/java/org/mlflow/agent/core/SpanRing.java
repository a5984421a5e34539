package org.mlflow.agent.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * A bounded, lock-free, multi-producer single-consumer ring.
 *
 * <p>A producer claims a position with one CAS on the producer index and publishes its element
 * with a release store into the slot; the one consumer takes elements in order, clears each slot
 * and advances the consumer index with a release store, which hands the slot back. An empty slot
 * is a null, so elements must not be null. Producers compare their position with a cached limit
 * (the consumer index plus the capacity, as last read), so while the ring has room they never
 * read the line the consumer writes. A full ring never blocks a producer: the offered element is
 * dropped and counted.
 *
 * <p>The producers' and the consumer's indexes sit on cache lines of their own (the padding
 * superclasses below): without it every consumer step would invalidate the line every producer
 * claims its position on, which made this ring two to three times slower than JCTools'
 * {@code MpscArrayQueue} (benchmarks' {@code RingBenchmark}).
 */
public final class SpanRing<E> extends SpanRingPadAfterConsumer {

  private static final VarHandle ELEMENTS = MethodHandles.arrayElementVarHandle(Object[].class);
  private static final VarHandle PRODUCER_INDEX;
  private static final VarHandle CONSUMER_INDEX;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      PRODUCER_INDEX =
          lookup.findVarHandle(SpanRingProducerIndex.class, "producerIndex", long.class);
      CONSUMER_INDEX =
          lookup.findVarHandle(SpanRingConsumerIndex.class, "consumerIndex", long.class);
    } catch (ReflectiveOperationException impossible) {
      throw new ExceptionInInitializerError(impossible);
    }
  }

  private final Object[] elements;
  private final int mask;
  private final LongAdder dropped = new LongAdder();

  public SpanRing(int capacity) {
    if (capacity < 2 || Integer.bitCount(capacity) != 1) {
      throw new IllegalArgumentException("capacity must be a power of two, got " + capacity);
    }
    elements = new Object[capacity];
    mask = capacity - 1;
    producerLimit = capacity;
  }

  /**
   * Adds {@code element} (not null) unless the ring is full. Never blocks.
   *
   * @return the element's position (0, 1, 2, ...) or -1 when it was dropped
   */
  public long offer(E element) {
    if (element == null) {
      throw new NullPointerException("an empty slot is null: null cannot be offered");
    }
    long limit = producerLimit;
    long index;
    do {
      index = producerIndex;
      if (index >= limit) {
        limit = consumerIndex + mask + 1;
        if (index >= limit) {
          dropped.increment();
          return -1;
        }
        // Racing producers may store older limits: any limit once read stays safe, as the
        // consumer index only grows; a low one costs the next producer one more read.
        producerLimit = limit;
      }
    } while (!PRODUCER_INDEX.compareAndSet(this, index, index + 1));
    ELEMENTS.setRelease(elements, (int) index & mask, element);
    return index;
  }

  /** Hands up to {@code limit} elements, oldest first, to {@code consumer}. Consumer thread only. */
  @SuppressWarnings("unchecked")
  public int drain(Consumer<? super E> consumer, int limit) {
    long index = (long) CONSUMER_INDEX.getOpaque(this);
    int drained = 0;
    while (drained < limit) {
      int slot = (int) index & mask;
      E element = (E) ELEMENTS.getAcquire(elements, slot);
      if (element == null) {
        break; // empty, or the producer that claimed this slot has not published it yet
      }
      elements[slot] = null;
      index++;
      // Orders the clearing before the slot is handed back to the producers.
      CONSUMER_INDEX.setRelease(this, index);
      drained++;
      consumer.accept(element);
    }
    return drained;
  }

  /** Elements offered and not yet drained, about: producers may be mid-offer. Consumer only. */
  public long waiting() {
    return producerIndex - (long) CONSUMER_INDEX.getOpaque(this);
  }

  /** The position the next offer takes, about: other producers may be mid-offer. */
  public long nextPosition() {
    return producerIndex;
  }

  /** How many elements the consumer has taken since start. */
  public long taken() {
    return (long) CONSUMER_INDEX.getOpaque(this);
  }

  public int capacity() {
    return mask + 1;
  }

  /** Elements offered to a full ring and dropped, since start. */
  public long dropped() {
    return dropped.sum();
  }
}

/*
 * The padding classes. HotSpot lays out a superclass's fields before its subclass's, so each
 * group of 16 unused longs (128 bytes: two cache lines, against the adjacent-line prefetcher)
 * keeps the hot index after it off the line of whatever comes before. The pad fields are never
 * read: they only take space.
 */

abstract class SpanRingPadBeforeProducers {
  long pad00, pad01, pad02, pad03, pad04, pad05, pad06, pad07;
  long pad08, pad09, pad10, pad11, pad12, pad13, pad14, pad15;
}

/** Written by producers: the next position to claim, and their cached view of the free room. */
abstract class SpanRingProducerIndex extends SpanRingPadBeforeProducers {
  volatile long producerIndex;
  volatile long producerLimit;
}

abstract class SpanRingPadBetweenIndexes extends SpanRingProducerIndex {
  long pad20, pad21, pad22, pad23, pad24, pad25, pad26, pad27;
  long pad28, pad29, pad30, pad31, pad32, pad33, pad34, pad35;
}

/** Written by the consumer only: the next position to take. */
abstract class SpanRingConsumerIndex extends SpanRingPadBetweenIndexes {
  volatile long consumerIndex;
}

/** Keeps the ring's own fields, which producers read on every offer, off the consumer's line. */
abstract class SpanRingPadAfterConsumer extends SpanRingConsumerIndex {
  long pad40, pad41, pad42, pad43, pad44, pad45, pad46, pad47;
  long pad48, pad49, pad50, pad51, pad52, pad53, pad54, pad55;
}
