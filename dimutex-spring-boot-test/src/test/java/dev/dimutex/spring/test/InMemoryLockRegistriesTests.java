package dev.dimutex.spring.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dimutex.Lease;
import dev.dimutex.LockRegistry;
import dev.dimutex.testing.InMemoryLockStore;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class InMemoryLockRegistriesTests {

  @Nested
  class PlainUnitTests {

    @Test
    void aSecondRegistryOnTheSameStoreCannotTakeAHeldLock() {
      InMemoryLockStore store = new InMemoryLockStore(Clock.systemUTC());
      try (LockRegistry app = InMemoryLockRegistries.create(store, Duration.ofSeconds(10));
          LockRegistry other = InMemoryLockRegistries.create(store, Duration.ofSeconds(10))) {
        try (Lease lease = app.obtain("job").acquire(Duration.ofSeconds(1))) {
          assertThat(other.obtain("job").tryAcquire()).isEmpty();
          assertThat(lease.fencingToken()).isPositive();
        }
        assertThat(other.obtain("job").tryAcquire()).hasValueSatisfying(Lease::release);
      }
    }

    @Test
    void registriesOnTheirOwnStoresDoNotShareLocks() {
      try (LockRegistry one = InMemoryLockRegistries.create();
          LockRegistry two = InMemoryLockRegistries.create();
          Lease lease = one.obtain("job").acquire(Duration.ofSeconds(1))) {
        assertThat(lease.isHealthy()).isTrue();
        assertThat(two.obtain("job").tryAcquire()).hasValueSatisfying(Lease::release);
      }
    }
  }
}
