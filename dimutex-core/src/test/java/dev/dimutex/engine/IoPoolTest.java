package dev.dimutex.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dimutex.testing.Claim;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The elastic I/O pool used where the runtime has no virtual threads: it grows to its cap under a
 * burst, queues beyond the cap, and shrinks back while a steady trickle of calls continues (work
 * goes to the most recently idle thread, so the others reach their keep-alive). Real threads with
 * generous bounds; the keep-alive is shortened to keep the test quick.
 */
class IoPoolTest {

  @Test
  void aBurstGrowsThePoolToItsCapAndQueuesTheRest() throws Exception {
    ThreadPoolExecutor pool = DefaultScheduler.pool("burst-", 4, Duration.ofSeconds(30));
    try {
      CountDownLatch gate = new CountDownLatch(1);
      CountDownLatch ran = new CountDownLatch(10);
      Set<String> names = ConcurrentHashMap.newKeySet();
      for (int i = 0; i < 10; i++) {
        pool.execute(
            () -> {
              names.add(Thread.currentThread().getName());
              try {
                gate.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              ran.countDown();
            });
      }
      assertThat(pool.getPoolSize()).isEqualTo(4);
      assertThat(pool.getQueue()).hasSize(6);
      gate.countDown();
      assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(names).hasSize(4).allMatch(n -> n.startsWith("burst-"));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  @Claim("C-THR-6")
  void aSteadyTrickleAfterABurstLetsTheBurstsThreadsEnd() throws Exception {
    ThreadPoolExecutor pool = DefaultScheduler.pool("trickle-", 8, Duration.ofMillis(200));
    try {
      CountDownLatch gate = new CountDownLatch(1);
      CountDownLatch started = new CountDownLatch(8);
      for (int i = 0; i < 8; i++) {
        pool.execute(
            () -> {
              started.countDown();
              try {
                gate.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
      }
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(pool.getPoolSize()).isEqualTo(8);
      gate.countDown();

      // One short call every millisecond or so, one at a time: a first-in first-out hand-off would
      // pass them round all eight threads, each idle far less than the keep-alive, for ever.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      int calls = 0;
      while (pool.getPoolSize() > 1 && System.nanoTime() < deadline) {
        CountDownLatch done = new CountDownLatch(1);
        pool.execute(done::countDown);
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        calls++;
        Thread.sleep(1);
      }
      assertThat(pool.getPoolSize()).as("threads left after %d trickled calls", calls).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aClosedPoolRefusesWorkAndDropsItsBacklog() throws Exception {
    ThreadPoolExecutor pool = DefaultScheduler.pool("closed-", 1, Duration.ofSeconds(30));
    CountDownLatch gate = new CountDownLatch(1);
    pool.execute(
        () -> {
          try {
            gate.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    List<Runnable> queued = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Runnable r = () -> {};
      queued.add(r);
      pool.execute(r);
    }
    List<Runnable> dropped = pool.shutdownNow();
    assertThat(dropped).containsExactlyElementsOf(queued);
    assertThatThrownBy(() -> pool.execute(() -> {}))
        .isInstanceOf(RejectedExecutionException.class)
        .hasMessage("registry closed");
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }
}
