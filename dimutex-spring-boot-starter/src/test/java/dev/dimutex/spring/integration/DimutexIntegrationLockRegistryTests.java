package dev.dimutex.spring.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dimutex.LockRegistry;
import dev.dimutex.emulator.EmulatorStorage;
import dev.dimutex.gcs.GcsLockRegistry;
import dev.dimutex.spring.LockRegistries;
import dev.dimutex.spring.TestEmulator;
import dev.dimutex.testing.Claim;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.integration.leader.Context;
import org.springframework.integration.leader.DefaultCandidate;
import org.springframework.integration.support.leader.LockRegistryLeaderInitiator;
import org.springframework.integration.support.locks.DistributedLock;

class DimutexIntegrationLockRegistryTests {

  private final Map<Duration, GcsLockRegistry> registries = new ConcurrentHashMap<>();

  private GcsLockRegistry registry(Duration ttl) {
    return registries.computeIfAbsent(
        ttl,
        t ->
            GcsLockRegistry.builder(EmulatorStorage.create(TestEmulator.get()), TestEmulator.BUCKET)
                .prefix("si/")
                .ttl(t)
                .build());
  }

  private final DimutexIntegrationLockRegistry locks =
      new DimutexIntegrationLockRegistry(
          new LockRegistries() {
            @Override
            public LockRegistry registry() {
              return DimutexIntegrationLockRegistryTests.this.registry(Duration.ofSeconds(10));
            }

            @Override
            public LockRegistry registry(Duration ttl) {
              return DimutexIntegrationLockRegistryTests.this.registry(ttl);
            }

            @Override
            public List<LockRegistry> all() {
              return List.copyOf(registries.values());
            }
          });

  @AfterEach
  void closeRegistries() {
    registries.values().forEach(GcsLockRegistry::close);
  }

  @Test
  void equalKeysGiveTheSameLock() {
    assertThat(locks.obtain("same")).isSameAs(locks.obtain("same"));
  }

  @Test
  @Claim("C-STA-25")
  void theHoldingThreadMayLockAgainAndReleasesAtTheLastUnlock() throws Exception {
    DistributedLock lock = locks.obtain("reentrant");
    assertThat(lock.tryLock()).isTrue();
    assertThat(lock.tryLock(100, TimeUnit.MILLISECONDS)).isTrue();
    lock.unlock();
    assertThat(registry(Duration.ofSeconds(10)).obtain("reentrant").isLocked()).isTrue();
    lock.unlock();
    assertThat(registry(Duration.ofSeconds(10)).obtain("reentrant").isLocked()).isFalse();
  }

  @Test
  @Claim("C-STA-25")
  void anotherThreadCannotTakeOrUnlockAHeldLock() throws Exception {
    DistributedLock lock = locks.obtain("exclusive");
    lock.lock();
    try {
      assertThat(CompletableFuture.supplyAsync(lock::tryLock).get(10, TimeUnit.SECONDS)).isFalse();
      assertThat(
              CompletableFuture.supplyAsync(
                      () -> {
                        try {
                          lock.unlock();
                          return "unlocked";
                        } catch (IllegalMonitorStateException e) {
                          return e.getMessage();
                        }
                      })
                  .get(10, TimeUnit.SECONDS))
          .contains("does not hold lock 'exclusive'");
    } finally {
      lock.unlock();
    }
  }

  @Test
  void renewLockRefreshesOnlyForTheHolder() {
    DistributedLock lock = locks.obtain("renew");
    assertThatThrownBy(() -> locks.renewLock("renew")).isInstanceOf(IllegalStateException.class);
    lock.lock();
    try {
      locks.renewLock("renew");
      assertThatThrownBy(() -> locks.renewLock("renew", Duration.ofMinutes(5)))
          .isInstanceOf(UnsupportedOperationException.class)
          .hasMessageContaining("keep the TTL they were acquired with");
    } finally {
      lock.unlock();
    }
  }

  @Test
  void lockWithTtlUsesARegistryWithThatTtl() throws Exception {
    DistributedLock lock = locks.obtain("with-ttl");
    assertThat(lock.tryLock(Duration.ZERO, Duration.ofSeconds(7))).isTrue();
    try {
      assertThat(
              registry(Duration.ofSeconds(10)).lockObjects().stream()
                  .filter(o -> o.name().equals("with-ttl"))
                  .map(o -> o.ttl())
                  .toList())
          .containsExactly(Duration.ofSeconds(7));
      locks.renewLock("with-ttl", Duration.ofSeconds(7));
    } finally {
      lock.unlock();
    }
  }

  @Test
  void aLostLeaseMakesTheHoldersNextTryLockFail() throws Exception {
    DistributedLock lock = locks.obtain("lost");
    assertThat(lock.tryLock()).isTrue();
    registry(Duration.ofSeconds(10)).obtain("lost").forceRelease();
    assertThatThrownBy(() -> locks.renewLock("lost"))
        .isInstanceOf(dev.dimutex.LockLostException.class);
    assertThat(lock.tryLock()).as("reentry after the loss").isFalse();
    assertThatThrownBy(lock::unlock).isInstanceOf(IllegalMonitorStateException.class);
    assertThat(lock.tryLock()).as("a fresh acquisition").isTrue();
    lock.unlock();
  }

  @Test
  @Claim("C-STA-35")
  void aLeaderWhoseLeaseIsLostHasItsLeadershipRevoked() throws Exception {
    CountDownLatch granted = new CountDownLatch(1);
    CountDownLatch revoked = new CountDownLatch(1);
    DefaultCandidate candidate =
        new DefaultCandidate("node-1", "revoked-leader") {
          @Override
          public void onGranted(Context ctx) {
            granted.countDown();
          }

          @Override
          public void onRevoked(Context ctx) {
            revoked.countDown();
          }
        };
    LockRegistryLeaderInitiator initiator = new LockRegistryLeaderInitiator(locks, candidate);
    initiator.setHeartBeatMillis(200);
    initiator.setBusyWaitMillis(50);
    initiator.start();
    try {
      assertThat(granted.await(10, TimeUnit.SECONDS)).as("granted").isTrue();
      assertThat(revoked.getCount()).isEqualTo(1);
      // an operator (or a takeover) removes the leader's lock object
      registry(Duration.ofSeconds(10)).obtain("revoked-leader").forceRelease();
      assertThat(revoked.await(10, TimeUnit.SECONDS)).as("revoked").isTrue();
    } finally {
      initiator.stop();
    }
  }

  @Test
  void conditionsAreNotSupported() {
    assertThatThrownBy(() -> locks.obtain("cond").newCondition())
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
