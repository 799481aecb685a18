package dev.dimutex.spi;

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
}
