package dev.dimutex.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dimutex.testing.Claim;
import dev.dimutex.testing.DeterministicScheduler;
import dev.dimutex.testing.FakeTime;
import dev.dimutex.testing.InMemoryLockStore;
import java.time.Clock;
import java.util.Random;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Regular refreshes on the registry's own timer are due on a 10 ms grid, so those due within one
 * tick share one wake-up of the timer: never earlier than asked, at most one tick later. A caller's
 * scheduler gets the delay unchanged.
 */
class RefreshTickTest {

  private static final long TICK = Engine.TICK_NANOS;

  @Test
  @Claim("C-THR-8")
  void onTheOwnTimerADueTimeIsRoundedUpToTheNextTick() {
    Engine engine =
        new Engine(
            StoreLockRegistry.builder().ownerId("tick").settings(),
            new InMemoryLockStore(Clock.systemUTC()));
    try {
      Random random = new Random(42);
      for (int i = 0; i < 200; i++) {
        long delay = TimeUnit.SECONDS.toNanos(30) + (long) (random.nextDouble() * 1e9);
        long before = System.nanoTime();
        ScheduledFuture<?> f = engine.scheduleIoCoalesced(() -> {}, delay);
        long after = System.nanoTime();
        long due = after + f.getDelay(TimeUnit.NANOSECONDS); // the timer's trigger time, within
        // the few microseconds between its clock reading and ours
        f.cancel(false);
        assertThat(due).isGreaterThanOrEqualTo(before + delay);
        assertThat(due - (after + delay))
            .isLessThanOrEqualTo(TICK + TimeUnit.MILLISECONDS.toNanos(1));
        long offGrid = Math.floorMod(due, TICK);
        assertThat(Math.min(offGrid, TICK - offGrid))
            .as("distance from the 10 ms grid")
            .isLessThan(TimeUnit.MILLISECONDS.toNanos(1));
      }
    } finally {
      engine.shutdownOwnThreads();
    }
  }

  @Test
  @Claim("C-THR-8")
  void aCallersSchedulerGetsTheDelayUnchanged() {
    FakeTime time = new FakeTime();
    DeterministicScheduler scheduler = new DeterministicScheduler(time);
    Engine engine =
        new Engine(
            StoreLockRegistry.builder()
                .ownerId("tick")
                .timeSource(time)
                .clock(time.clock(java.time.Duration.ZERO))
                .scheduler(scheduler)
                .settings(),
            new InMemoryLockStore(time.clock(java.time.Duration.ZERO)));
    ScheduledFuture<?> f = engine.scheduleIoCoalesced(() -> {}, 12_345_678L);
    assertThat(f.getDelay(TimeUnit.NANOSECONDS)).isEqualTo(12_345_678L);
  }
}
