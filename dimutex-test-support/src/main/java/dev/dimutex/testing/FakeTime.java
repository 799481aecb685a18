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

  public FakeTime() {
    this(Instant.parse("2026-01-01T00:00:00Z"));
  }

  public FakeTime(Instant wallAtStart) {
    this.wallAtStart = wallAtStart;
  }

  @Override
  public long nanoTime() {
    return nanos.get();
  }

  public void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  public Instant instant() {
    return wallAtStart.plusNanos(nanos.get() - 1_000_000_000L);
  }

  /** A wall clock following this time, shifted by {@code skew}. */
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
