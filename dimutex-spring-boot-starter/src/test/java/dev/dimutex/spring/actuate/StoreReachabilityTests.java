package dev.dimutex.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import dev.dimutex.Lease;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class StoreReachabilityTests {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /** A clock that tests move by hand. */
  static final class MovableClock extends Clock {
    private Instant now = T0;

    void advance(Duration duration) {
      now = now.plus(duration);
    }

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
      return now;
    }
  }

  private final MovableClock clock = new MovableClock();
  private final StoreReachability reachability =
      new StoreReachability(clock, Duration.ofSeconds(60));
  private final Lease lease = mock(Lease.class);

  private void failRefresh() {
    reachability.onRefreshFailed(lease, new IOException("503 Service Unavailable"));
    clock.advance(Duration.ofSeconds(1));
  }

  @Test
  void withoutRecentCallsTheStoreCountsAsReachable() {
    StoreReachability.Snapshot snapshot = reachability.snapshot(null);
    assertThat(snapshot.reachable()).isTrue();
    assertThat(snapshot.recentCalls()).isZero();
  }

  @Test
  void threeFailedCallsWithNoSuccessSinceMakeItUnreachable() {
    reachability.onAcquired(lease, Duration.ZERO);
    clock.advance(Duration.ofSeconds(70));
    failRefresh();
    failRefresh();
    assertThat(reachability.snapshot(null).reachable()).isTrue();
    failRefresh();
    StoreReachability.Snapshot snapshot = reachability.snapshot(null);
    assertThat(snapshot.reachable()).isFalse();
    assertThat(snapshot.recentFailures()).isEqualTo(3);
    assertThat(snapshot.lastError()).isEqualTo("503 Service Unavailable");
    assertThat(snapshot.lastSuccess()).isEqualTo(T0);
  }

  @Test
  void aCallThatReachesTheStoreAfterTheFailuresMakesItReachableAgain() {
    failRefresh();
    failRefresh();
    failRefresh();
    reachability.timedOut("jobs", Duration.ZERO);
    assertThat(reachability.snapshot(null).reachable()).isTrue();
  }

  @Test
  void aConfirmedRefreshAfterTheFailuresCountsAsReachingTheStore() {
    failRefresh();
    failRefresh();
    failRefresh();
    assertThat(reachability.snapshot(T0.minusSeconds(5)).reachable()).isFalse();
    assertThat(reachability.snapshot(clock.instant()).reachable()).isTrue();
  }

  @Test
  void failuresOlderThanTheWindowAreForgotten() {
    failRefresh();
    failRefresh();
    failRefresh();
    clock.advance(Duration.ofSeconds(61));
    StoreReachability.Snapshot snapshot = reachability.snapshot(null);
    assertThat(snapshot.reachable()).isTrue();
    assertThat(snapshot.recentCalls()).isZero();
  }

  @Test
  void annotatedCallsThatFoundTheStoreUnavailableCountAsFailedCalls() {
    for (int i = 0; i < 3; i++) {
      reachability.unavailable("jobs", Duration.ofSeconds(1));
      clock.advance(Duration.ofSeconds(1));
    }
    StoreReachability.Snapshot snapshot = reachability.snapshot(null);
    assertThat(snapshot.reachable()).isFalse();
    assertThat(snapshot.lastError()).contains("unavailable");
  }
}
