package dev.dimutex.simulation;

import dev.dimutex.spi.TimeSource;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * One registry's clocks: a monotonic clock running at {@code rate} times true time from an
 * arbitrary origin, and a wall clock that follows it, shifted by a fixed offset.
 */
final class NodeClock implements TimeSource {

  private final World world;
  final double rate;
  private final long origin;
  private final long wallOffsetNanos;

  NodeClock(World world, double rate, long origin, long wallOffsetNanos) {
    this.world = world;
    this.rate = rate;
    this.origin = origin;
    this.wallOffsetNanos = wallOffsetNanos;
  }

  @Override
  public long nanoTime() {
    return origin + (long) Math.floor(world.now() * rate);
  }

  /** The true duration that passes while this clock advances by {@code localNanos}. */
  long trueDelay(long localNanos) {
    return (long) Math.ceil(Math.max(0, localNanos) / rate);
  }

  Clock wallClock() {
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
        return World.EPOCH.plusNanos((long) Math.floor(world.now() * rate) + wallOffsetNanos);
      }
    };
  }
}
