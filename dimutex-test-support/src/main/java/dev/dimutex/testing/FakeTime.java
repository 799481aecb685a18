package dev.dimutex.testing;

import dev.dimutex.spi.TimeSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A manually advanced monotonic time source, with a wall clock that follows it. */
public final class FakeTime implements TimeSource {

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final Instant wallAtStart;

  /** Creates a time source whose wall clock starts at 2026-01-01T00:00:00Z. */
  public FakeTime() {
    this(Instant.parse("2026-01-01T00:00:00Z"));
  }

  /**
   * Creates a time source whose wall clock starts at the given instant.
   *
   * @param wallAtStart the wall-clock reading at the start
   */
  public FakeTime(Instant wallAtStart) {
    this.wallAtStart = wallAtStart;
  }

  @Override
  public long nanoTime() {
    return nanos.get();
  }

  /**
   * Moves the time forward.
   *
   * @param d how far, not negative
   */
  public void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  /**
   * Returns the wall-clock reading that follows this time.
   *
   * @return the start instant plus the time advanced so far
   */
  public Instant instant() {
    return wallAtStart.plusNanos(nanos.get() - 1_000_000_000L);
  }

  /**
   * Returns a wall clock following this time, shifted by {@code skew}.
   *
   * @param skew how far this clock is ahead (negative: behind)
   * @return the clock, in UTC
   */
  public Clock clock(Duration skew) {
    FakeTime self = this;
    return new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return self.instant().plus(skew);
      }
    };
  }
}
