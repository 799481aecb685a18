package dev.dimutex.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ServerClockTest {

  private static final long S = 1_000_000_000L;

  @Test
  void isUnknownUntilTheFirstObservation() {
    assertThat(new ServerClock().lowerBoundEpochNanos(123)).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void carriesTheLatestServerTimestampForwardAtTheSlowestRateTheAssumptionAllows() {
    ServerClock c = new ServerClock();
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    c.observe(t, 1_000);
    assertThat(c.lowerBoundEpochNanos(1_000 + 11 * S))
        .isEqualTo(ServerClock.epochNanos(t.plusSeconds(10)));
  }

  @Test
  void keepsTheHighestBoundWhenAnOlderTimestampArrivesLater() {
    ServerClock c = new ServerClock();
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    c.observe(t, 0);
    c.observe(t.minusSeconds(30), S); // an object last updated long ago
    assertThat(c.lowerBoundEpochNanos(11 * S / 5)).isEqualTo(ServerClock.epochNanos(t) + 2 * S);
  }

  @Test
  void aFresherTimestampThatProvesMoreReplacesTheAnchor() {
    ServerClock c = new ServerClock();
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    c.observe(t, 0);
    c.observe(t.plusSeconds(11), 11 * S); // the store ran at the local rate: proves 1 s more
    assertThat(c.lowerBoundEpochNanos(11 * S)).isEqualTo(ServerClock.epochNanos(t) + 11 * S);
  }

  @Test
  void keepsAnAnchorForAsLongAsItProvesTheMostSoLongTtlsCanBeProvenOver() {
    ServerClock c = new ServerClock();
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    c.observe(t, 0);
    c.observe(t, 3_600 * S); // the same old timestamp read again an hour later
    assertThat(c.lowerBoundEpochNanos(11 * 3_600 * S))
        .isEqualTo(ServerClock.epochNanos(t) + 10 * 3_600 * S);
  }
}
