package dev.dimutex.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ServerClockTest {

  @Test
  void isUnknownUntilTheFirstObservation() {
    assertThat(new ServerClock().lowerBoundEpochNanos(123)).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void carriesTheLatestServerTimestampForwardOnTheMonotonicClock() {
    ServerClock c = new ServerClock();
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    c.observe(t, 1_000);
    assertThat(c.lowerBoundEpochNanos(1_000 + 5_000_000_000L))
        .isEqualTo(ServerClock.epochNanos(t.plusSeconds(5)));
  }

  @Test
  void keepsTheHighestBoundWhenAnOlderTimestampArrivesLater() {
    ServerClock c = new ServerClock();
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    c.observe(t, 0);
    c.observe(t.minusSeconds(30), 1_000_000_000L); // an object last updated long ago
    assertThat(c.lowerBoundEpochNanos(2_000_000_000L))
        .isEqualTo(ServerClock.epochNanos(t.plusSeconds(2)));
  }

  @Test
  void forgetsAnAnchorOlderThanTheHorizon() {
    ServerClock c = new ServerClock();
    c.observe(Instant.parse("2026-01-01T00:00:00Z"), 0);
    assertThat(c.lowerBoundEpochNanos(ServerClock.HORIZON_NANOS)).isNotEqualTo(Long.MIN_VALUE);
    assertThat(c.lowerBoundEpochNanos(ServerClock.HORIZON_NANOS + 1)).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void replacesAnAgingAnchorByAFresherOneEvenIfItIsWeaker() {
    ServerClock c = new ServerClock();
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    c.observe(t, 0);
    long later = ServerClock.HORIZON_NANOS / 2 + 1;
    c.observe(t, later); // weaker: same timestamp received later
    assertThat(c.lowerBoundEpochNanos(ServerClock.HORIZON_NANOS + 10))
        .isEqualTo(ServerClock.epochNanos(t) + ServerClock.HORIZON_NANOS + 10 - later);
  }

  @Test
  void keepsTheStrongerAgingAnchorUntilItExpiresAfterAWeakerFresherOneReplacedIt() {
    ServerClock c = new ServerClock();
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    c.observe(t, 0);
    long later = ServerClock.HORIZON_NANOS / 2 + 1;
    c.observe(t, later); // the same old timestamp read again
    assertThat(c.lowerBoundEpochNanos(ServerClock.HORIZON_NANOS))
        .isEqualTo(ServerClock.epochNanos(t) + ServerClock.HORIZON_NANOS);
  }
}
