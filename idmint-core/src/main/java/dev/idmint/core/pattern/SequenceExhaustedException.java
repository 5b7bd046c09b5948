package dev.idmint.core.pattern;

import dev.idmint.core.IdMintException;
import java.time.Instant;
import java.util.Optional;

/**
 * A business number's sequence has outgrown the width its template gives it in this period: the
 * next number would need more digits. Never wrapped (that would repeat a number). Lasts until the
 * next period starts ({@link #nextPeriodStart()}); with period {@code never} it lasts for good and
 * the template needs a new namespace with a wider sequence.
 */
public final class SequenceExhaustedException extends IdMintException {
  private final String periodLabel;
  private final int width;
  private final long sequence;
  private final Instant nextPeriodStart;

  SequenceExhaustedException(
      String periodLabel, int width, long sequence, Instant nextPeriodStart) {
    super(
        "sequence "
            + sequence
            + " does not fit the template's "
            + width
            + " digits in period "
            + periodLabel
            + (nextPeriodStart.equals(Instant.MAX)
                ? "; the sequence never resets, so this namespace has run out"
                : "; numbers start again at " + nextPeriodStart));
    this.periodLabel = periodLabel;
    this.width = width;
    this.sequence = sequence;
    this.nextPeriodStart = nextPeriodStart;
  }

  public String periodLabel() {
    return periodLabel;
  }

  public int width() {
    return width;
  }

  /** The sequence number that did not fit. */
  public long sequence() {
    return sequence;
  }

  /** When numbers can be issued again; empty for a sequence that never resets. */
  public Optional<Instant> nextPeriodStart() {
    return nextPeriodStart.equals(Instant.MAX) ? Optional.empty() : Optional.of(nextPeriodStart);
  }
}
