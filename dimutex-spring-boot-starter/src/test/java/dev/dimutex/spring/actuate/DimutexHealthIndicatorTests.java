package dev.dimutex.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.dimutex.InspectableLockRegistry;
import dev.dimutex.Lease;
import dev.dimutex.LeaseInfo;
import dev.dimutex.LockLostException;
import dev.dimutex.LockObjectInfo;
import dev.dimutex.Mutex;
import dev.dimutex.spring.autoconfigure.SingleLockRegistries;
import dev.dimutex.testing.Claim;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

class DimutexHealthIndicatorTests {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private final StoreReachabilityTests.MovableClock clock =
      new StoreReachabilityTests.MovableClock();
  private final StoreReachability reachability =
      new StoreReachability(clock, Duration.ofSeconds(60));
  private final LostLeases lostLeases = new LostLeases(clock, Duration.ofSeconds(60));

  private DimutexHealthIndicator indicator(List<LeaseInfo> leases) {
    InspectableLockRegistry registry =
        new InspectableLockRegistry() {
          @Override
          public List<LeaseInfo> heldLeases() {
            return leases;
          }

          @Override
          public List<LockObjectInfo> lockObjects() {
            return List.of();
          }

          @Override
          public Mutex obtain(String name) {
            throw new UnsupportedOperationException();
          }

          @Override
          public void close() {}
        };
    return new DimutexHealthIndicator(new SingleLockRegistries(registry), reachability, lostLeases);
  }

  @Test
  void upWithNoLeases() {
    Health health = indicator(List.of()).health();
    assertThat(health.getStatus()).isEqualTo(Status.UP);
    assertThat(health.getDetails()).containsEntry("heldLocks", 0);
  }

  @Test
  @Claim("C-STA-17")
  @Claim("C-GUA-6")
  void upWhileEveryLeaseIsHealthyWithDetailsPerLock() {
    Health health =
        indicator(List.of(new LeaseInfo("a", 11, T0, T0.plusSeconds(10), true))).health();
    assertThat(health.getStatus()).isEqualTo(Status.UP);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> locks = (List<Map<String, Object>>) health.getDetails().get("locks");
    assertThat(locks)
        .containsExactly(
            Map.of(
                "name", "a",
                "fencingToken", 11L,
                "heldSince", "2026-01-01T00:00:00Z",
                "lastConfirmedRefresh", "2026-01-01T00:00:10Z",
                "healthy", true));
  }

  @Test
  @Claim("C-STA-17")
  @Claim("C-GUA-6")
  void downOnceOneLeaseIsUnhealthy() {
    Health health =
        indicator(
                List.of(
                    new LeaseInfo("a", 11, T0, T0, true), new LeaseInfo("b", 12, T0, T0, false)))
            .health();
    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
    assertThat(health.getDetails()).containsEntry("heldLocks", 2);
  }

  @Test
  void outOfServiceWhileEveryRecentStoreCallFailedAndTheDetailsSaySo() {
    for (int i = 0; i < 3; i++) {
      reachability.onRefreshFailed(mock(Lease.class), new IOException("503 from the store"));
      clock.advance(Duration.ofSeconds(1));
    }
    Health health = indicator(List.of()).health();
    assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
    @SuppressWarnings("unchecked")
    Map<String, Object> store = (Map<String, Object>) health.getDetails().get("store");
    assertThat(store)
        .containsEntry("reachable", false)
        .containsEntry("recentFailures", 3)
        .containsEntry("lastError", "503 from the store")
        .containsEntry("reason", "every recent call to the lock store failed (3 of 3)");
  }

  @Test
  void aLeaseRefreshedAfterTheFailuresKeepsItUp() {
    for (int i = 0; i < 3; i++) {
      reachability.onRefreshFailed(mock(Lease.class), new IOException("503 from the store"));
      clock.advance(Duration.ofSeconds(1));
    }
    Health health = indicator(List.of(new LeaseInfo("a", 11, T0, clock.instant(), true))).health();
    assertThat(health.getStatus()).isEqualTo(Status.UP);
  }

  @Test
  void lostLeasesOutrankAnUnreachableStore() {
    for (int i = 0; i < 3; i++) {
      reachability.onRefreshFailed(mock(Lease.class), new IOException("503 from the store"));
      clock.advance(Duration.ofSeconds(1));
    }
    Health health = indicator(List.of(new LeaseInfo("b", 12, T0, T0, false))).health();
    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
  }

  @Test
  void downWhileALeaseLostRecentlyIsReportedAlthoughTheRegistryNoLongerListsIt() {
    Lease lease = mock(Lease.class);
    when(lease.name()).thenReturn("c");
    when(lease.fencingToken()).thenReturn(13L);
    when(lease.acquiredAt()).thenReturn(T0);
    lostLeases.onLost(lease, new LockLostException("lock 'c' was deleted by someone else"));
    Health health = indicator(List.of()).health();
    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
    assertThat(health.getDetails()).containsEntry("heldLocks", 0);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> lost =
        (List<Map<String, Object>>) health.getDetails().get("lostLocks");
    assertThat(lost)
        .singleElement()
        .satisfies(
            l ->
                assertThat(l)
                    .containsEntry("name", "c")
                    .containsEntry("fencingToken", 13L)
                    .containsEntry("cause", "lock 'c' was deleted by someone else"));
  }
}
