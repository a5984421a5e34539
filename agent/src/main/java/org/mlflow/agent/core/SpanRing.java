package org.mlflow.agent.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * A bounded, lock-free, multi-producer single-consumer ring (Vyukov's bounded queue).
 *
 * <p>Each slot carries a sequence number that says whose turn it is: producers claim a slot with
 * one CAS on the producer index and publish it with a release store of the slot's sequence; the
 * one consumer reads slots in order and hands them back by advancing their sequence a lap. A full
 * ring never blocks a producer: the offered element is dropped and counted.
 */
public final class SpanRing<E> {

  private static final VarHandle SEQUENCES = MethodHandles.arrayElementVarHandle(long[].class);

  private final Object[] elements;
  private final long[] sequences;
  private final int mask;
  private final AtomicLong producerIndex = new AtomicLong();
  private final LongAdder dropped = new LongAdder();
  /** Read and written by the consumer thread only. */
  private long consumerIndex;

  public SpanRing(int capacity) {
    if (capacity < 2 || Integer.bitCount(capacity) != 1) {
      throw new IllegalArgumentException("capacity must be a power of two, got " + capacity);
    }
    elements = new Object[capacity];
    sequences = new long[capacity];
    for (int i = 0; i < capacity; i++) {
      sequences[i] = i;
    }
    mask = capacity - 1;
  }

  /**
   * Adds {@code element} unless the ring is full. Never blocks.
   *
   * @return the element's position (0, 1, 2, ...) or -1 when it was dropped
   */
  public long offer(E element) {
    long index = producerIndex.get();
    while (true) {
      int slot = (int) index & mask;
      long sequence = (long) SEQUENCES.getAcquire(sequences, slot);
      if (sequence == index) {
        if (producerIndex.compareAndSet(index, index + 1)) {
          elements[slot] = element;
          SEQUENCES.setRelease(sequences, slot, index + 1);
          return index;
        }
        index = producerIndex.get();
      } else if (sequence < index) {
        // The consumer has not yet freed this slot from the previous lap: the ring is full.
        dropped.increment();
        return -1;
      } else {
        index = producerIndex.get(); // another producer took this slot; look again
      }
    }
  }

  /** Hands up to {@code limit} elements, oldest first, to {@code consumer}. Consumer thread only. */
  @SuppressWarnings("unchecked")
  public int drain(Consumer<? super E> consumer, int limit) {
    int drained = 0;
    while (drained < limit) {
      int slot = (int) consumerIndex & mask;
      long sequence = (long) SEQUENCES.getAcquire(sequences, slot);
      if (sequence != consumerIndex + 1) {
        break; // empty, or the producer that claimed this slot has not published it yet
      }
      E element = (E) elements[slot];
      elements[slot] = null;
      SEQUENCES.setRelease(sequences, slot, consumerIndex + mask + 1);
      consumerIndex++;
      drained++;
      consumer.accept(element);
    }
    return drained;
  }

  /** Elements offered and not yet drained, about: producers may be mid-offer. Consumer only. */
  public long waiting() {
    return producerIndex.get() - consumerIndex;
  }

  public int capacity() {
    return mask + 1;
  }

  /** Elements offered to a full ring and dropped, since start. */
  public long dropped() {
    return dropped.sum();
  }
}
