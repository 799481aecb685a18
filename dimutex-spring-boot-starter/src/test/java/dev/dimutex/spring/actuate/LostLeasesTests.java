package dev.dimutex.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.dimutex.Lease;
import dev.dimutex.LockLostException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LostLeasesTests {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private final StoreReachabilityTests.MovableClock clock =
      new StoreReachabilityTests.MovableClock();
  private final LostLeases lostLeases = new LostLeases(clock, Duration.ofSeconds(10));

  private static Lease lease(String name, long token) {
    Lease lease = mock(Lease.class);
    when(lease.name()).thenReturn(name);
    when(lease.fencingToken()).thenReturn(token);
    when(lease.acquiredAt()).thenReturn(T0);
    return lease;
  }

  @Test
  void aLossIsReportedWithItsLeaseAndCause() {
    clock.advance(Duration.ofSeconds(3));
    lostLeases.onLost(lease("b", 7), new LockLostException("lock 'b' was replaced"));
    lostLeases.onLost(lease("a", 5), new LockLostException("lock 'a' expired"));
    assertThat(lostLeases.recent())
        .containsExactly(
            new LostLeases.Lost("a", 5, T0, T0.plusSeconds(3), "lock 'a' expired"),
            new LostLeases.Lost("b", 7, T0, T0.plusSeconds(3), "lock 'b' was replaced"));
  }

  @Test
  void aLossIsForgottenOnceTheRetentionHasPassed() {
    lostLeases.onLost(lease("a", 5), new LockLostException("lost"));
    clock.advance(Duration.ofSeconds(10));
    assertThat(lostLeases.recent()).hasSize(1);
    clock.advance(Duration.ofMillis(1));
    assertThat(lostLeases.recent()).isEmpty();
  }

  @Test
  void aLossIsForgottenWhenThisInstanceAcquiresTheSameLockAgain() {
    lostLeases.onLost(lease("a", 5), new LockLostException("lost"));
    lostLeases.onLost(lease("b", 6), new LockLostException("lost"));
    lostLeases.onAcquired(lease("a", 8), Duration.ZERO);
    assertThat(lostLeases.recent()).extracting(LostLeases.Lost::name).containsExactly("b");
  }

  @Test
  void theRetentionMustBePositive() {
    assertThatThrownBy(() -> new LostLeases(clock, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("retention must be positive");
  }
}
