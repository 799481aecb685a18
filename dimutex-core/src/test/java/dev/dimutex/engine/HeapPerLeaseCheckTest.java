package dev.dimutex.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dimutex.Lease;
import dev.dimutex.spi.LockRecord;
import dev.dimutex.spi.LockStore;
import dev.dimutex.spi.ObjectVersion;
import dev.dimutex.spi.StoredLock;
import dev.dimutex.testing.DeterministicScheduler;
import dev.dimutex.testing.FakeTime;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A manual check of the registry's own heap per held lease, with a store that keeps nothing. Run
 * with {@code -Ddimutex.scale=true}.
 */
@EnabledIfSystemProperty(
    named = "dimutex.scale",
    matches = "true",
    disabledReason = "manual scale check: run with -Ddimutex.scale=true (see the class Javadoc)")
class HeapPerLeaseCheckTest {

  /** Accepts every create and keeps nothing. */
  static final class NullStore implements LockStore {
    private final AtomicLong gen = new AtomicLong(1);

    @Override
    public String describe() {
      return "null:/";
    }

    @Override
    public void validateName(String name) {}

    @Override
    public Optional<StoredLock> create(String name, LockRecord record, @Nullable ObjectVersion r) {
      return Optional.of(
          new StoredLock(name, new ObjectVersion(gen.getAndIncrement(), 1), record, null, null));
    }

    @Override
    public Optional<StoredLock> read(String name) {
      return Optional.empty();
    }

    @Override
    public Optional<StoredLock> update(String name, ObjectVersion expected, LockRecord record) {
      return Optional.empty();
    }

    @Override
    public DeleteOutcome delete(String name, ObjectVersion expected) {
      return DeleteOutcome.DELETED;
    }

    @Override
    public DeleteOutcome deleteGeneration(String name, long generation) {
      return DeleteOutcome.DELETED;
    }

    @Override
    public List<StoredLock> list() {
      return List.of();
    }

    @Override
    public void verifyAccess() {}
  }

  @Test
  void aHeldLeaseCostsWellUnderTwoKilobytes() {
    int n = 10_000;
    FakeTime time = new FakeTime(Instant.parse("2026-01-01T00:00:00Z"));
    DeterministicScheduler scheduler = new DeterministicScheduler(time);
    StoreLockRegistry r =
        StoreLockRegistry.builder().timeSource(time).scheduler(scheduler).build(new NullStore());
    List<String> names = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      names.add("some-lock-name-" + i);
    }
    List<Lease> leases = new ArrayList<>(n);
    System.gc();
    long before = used();
    for (String name : names) {
      leases.add(r.obtain(name).tryAcquire().orElseThrow());
    }
    System.gc();
    long perLease = (used() - before) / n;
    System.out.println(
        "heap per held lease (registry only, with its refresh task): " + perLease + " B");
    assertThat(leases).hasSize(n);
    assertThat(perLease).isLessThan(2048);
  }

  private static long used() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
