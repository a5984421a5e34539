package org.mlflow.agent.core;

import org.mlflow.agent.export.ExportedEvent;
import org.mlflow.agent.export.ExportedSpan;
import org.mlflow.agent.export.JsonText;
import org.mlflow.agent.export.MlflowAttributes;

/**
 * Keeps the content the exporter has not yet shipped within a share of the heap.
 *
 * <p>A span holds its call's request and response by reference until the exporter renders it, so
 * a ring of waiting spans can hold far more than their count suggests: 8,192 waiting 1 MB calls
 * are some 16 GB. When the calls come faster than the exporter can render them, this budget
 * decides that the next spans are exported bare (name, type, timing and status, no content): a
 * bare span takes microseconds, so the ring empties and the references go, where rendering every
 * 1 MB call would leave the ring full and the application out of memory.
 *
 * <p>The size of what waits is estimated, as nothing is read on the application's thread: the
 * spans waiting in the ring times the average content of the spans rendered lately, plus the
 * rendered content of the children waiting for their root. A character counts two bytes, as the
 * library's objects and the rendered JSON text each hold about one copy. Exporter thread only.
 */
final class ContentBacklog {

  static final long MAX_BUDGET_BYTES = 64L * 1024 * 1024;
  /** A span's content (inputs and outputs) assumed until one has been rendered: 256 K characters. */
  static final long ASSUMED_SPAN_CHARS = 256 * 1024;
  /** How much the newest span moves the average: one eighth, so a few big calls show at once. */
  private static final int AVERAGE_WEIGHT = 8;

  private final long budgetBytes;
  private long averageSpanChars;
  private boolean learnedOne;
  private long spansInRing;
  private long heldChars;

  ContentBacklog(long budgetBytes) {
    this.budgetBytes = budgetBytes;
  }

  /** An eighth of the heap, at most 64 MB: the agent's whole share stays well below the app's. */
  static ContentBacklog forThisJvm() {
    return new ContentBacklog(Math.min(MAX_BUDGET_BYTES, Runtime.getRuntime().maxMemory() / 8));
  }

  /** How many ended spans wait in the ring now, read before each one is handled. */
  void spansInRing(long waiting) {
    spansInRing = waiting;
  }

  /** Whether the next span must be exported without its content. */
  boolean overBudget() {
    return 2 * (spansInRing * averageSpanChars + heldChars) > budgetBytes;
  }

  /**
   * How many more spans may wait in the ring with their content, at the average size of the spans
   * rendered lately: the same budget as {@link #overBudget}, seen from the application's side.
   *
   * <p>Until a span with content has been rendered the size is unknown, and the first rendering is
   * the slowest (classes load, nothing is compiled yet): an app making large calls quickly could
   * fill the ring meanwhile. So each span is assumed to hold {@link #ASSUMED_SPAN_CHARS} until
   * then; a 1 GB heap lets 128 spans wait with their content before the first is rendered (and
   * more while the heap is less than half full: see {@link Exporter}).
   */
  long spansWithContentAllowed() {
    long average = learnedOne ? Math.max(1, averageSpanChars) : ASSUMED_SPAN_CHARS;
    return Math.max(0, (budgetBytes / 2 - heldChars) / average);
  }

  /** Whether a span with content has been rendered, so its size is known rather than assumed. */
  boolean sizeKnown() {
    return learnedOne;
  }

  /** A span rendered with its content: it teaches the average; returns its content's size. */
  long rendered(ExportedSpan span) {
    long chars = contentChars(span);
    averageSpanChars = learnedOne ? averageSpanChars + (chars - averageSpanChars) / AVERAGE_WEIGHT
        : chars;
    learnedOne = true;
    return chars;
  }

  /** Rendered content kept while its trace waits for the root. */
  void held(long chars) {
    heldChars += chars;
  }

  /** Rendered content shipped or dropped. */
  void released(long chars) {
    heldChars -= chars;
  }

  static long contentChars(ExportedSpan span) {
    long chars = length(span.attribute(MlflowAttributes.SPAN_INPUTS))
        + length(span.attribute(MlflowAttributes.SPAN_OUTPUTS));
    for (ExportedEvent event : span.events()) {
      for (Object value : event.attributes().values()) {
        chars += length(value);
      }
    }
    return chars;
  }

  private static long length(Object value) {
    if (value instanceof JsonText) {
      return ((JsonText) value).json().length();
    }
    return value instanceof String ? ((String) value).length() : 0;
  }
}
