package dev.dimutex.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dimutex.Lease;
import dev.dimutex.testing.DeterministicScheduler;
import dev.dimutex.testing.FakeTime;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class DelayedReleasesTests {

  private final FakeTime time = new FakeTime();
  private final DeterministicScheduler scheduler = new DeterministicScheduler(time);
  private final DelayedReleases releases = new DelayedReleases(time::nanoTime, () -> scheduler);
  private final List<String> released = new CopyOnWriteArrayList<>();
  private final List<String> timersStopped = new CopyOnWriteArrayList<>();

  private Lease lease(String name) {
    return (Lease)
        Proxy.newProxyInstance(
            Lease.class.getClassLoader(),
            new Class<?>[] {Lease.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "name" -> name;
                  case "release", "close" -> {
                    released.add(name);
                    yield null;
                  }
                  case "toString" -> "lease " + name;
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }

  private DistributedLockObserver.HoldTimer timer(String name) {
    return () -> timersStopped.add(name);
  }

  @Test
  void withoutAMinimumTheLeaseIsReleasedAtOnce() {
    releases.release(lease("a"), null, time.nanoTime(), timer("a"), "Jobs.a()");
    assertThat(released).containsExactly("a");
    assertThat(timersStopped).containsExactly("a");
  }

  @Test
  void aLeaseIsKeptUntilTheMinimumHasPassedSinceItsAcquisition() {
    long acquiredAt = time.nanoTime();
    time.advance(Duration.ofSeconds(1));
    releases.release(lease("b"), Duration.ofSeconds(3), acquiredAt, timer("b"), "Jobs.b()");
    assertThat(released).isEmpty();
    assertThat(releases.pending()).isOne();

    scheduler.advance(Duration.ofMillis(1999));
    assertThat(released).isEmpty();

    scheduler.advance(Duration.ofMillis(1));
    assertThat(released).containsExactly("b");
    assertThat(timersStopped).containsExactly("b");
    assertThat(releases.pending()).isZero();
  }

  @Test
  void aMinimumAlreadyPassedReleasesAtOnce() {
    long acquiredAt = time.nanoTime();
    time.advance(Duration.ofSeconds(5));
    releases.release(lease("c"), Duration.ofSeconds(3), acquiredAt, timer("c"), "Jobs.c()");
    assertThat(released).containsExactly("c");
    assertThat(scheduler.pendingTasks()).isZero();
  }

  @Test
  void closeReleasesPendingLeasesAtOnceAndLaterReleasesAreImmediate() {
    releases.release(lease("d"), Duration.ofMinutes(10), time.nanoTime(), timer("d"), "Jobs.d()");
    assertThat(released).isEmpty();

    releases.close();
    assertThat(released).containsExactly("d");

    releases.release(lease("e"), Duration.ofMinutes(10), time.nanoTime(), timer("e"), "Jobs.e()");
    assertThat(released).containsExactly("d", "e");
    scheduler.advance(Duration.ofMinutes(11));
    assertThat(released).as("each lease is released once").containsExactly("d", "e");
  }
}
