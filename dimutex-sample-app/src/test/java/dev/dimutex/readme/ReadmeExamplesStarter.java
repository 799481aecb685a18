package dev.dimutex.readme;

import dev.dimutex.Lease;
import dev.dimutex.LockRegistry;
import dev.dimutex.spring.CurrentLease;
import dev.dimutex.spring.DistributedLock;
import dev.dimutex.spring.OnHeld;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/** README: "Using the Spring Boot starter". Exercised by {@link ReadmeExamplesTest}. */
final class ReadmeExamplesStarter {

  private ReadmeExamplesStarter() {}

  // --- README: a fleet-wide singleton scheduled job ---
  @Service
  public static class ReportJob {
    private final List<Long> tokens = new ArrayList<>();

    @Scheduled(cron = "0 0 2 * * *")
    @DistributedLock(value = "nightly-report", onHeld = OnHeld.SKIP, holdAtLeast = "1m")
    public void nightlyReport() {
      // Runs on one instance; the others skip this occurrence.
      tokens.add(CurrentLease.get().fencingToken());
    }

    public List<Long> tokens() {
      return List.copyOf(tokens);
    }
  }

  // --- README: per-key work, waiting for the lock ---
  @Service
  public static class OrderService {
    @DistributedLock(value = "order-#{#orderId}", waitFor = "10s")
    public long process(String orderId) {
      // Calls for the same order run one at a time across the fleet; other orders run in
      // parallel. LockTimeoutException if the order stays locked for 10 s (onHeld = FAIL).
      return CurrentLease.get().fencingToken();
    }
  }

  // --- README: a long job that checks its lease between steps ---
  @Service
  public static class ReindexJob {
    @DistributedLock("reindex")
    public int reindex(int batches) {
      int done = 0;
      for (int batch = 0; batch < batches; batch++) {
        CurrentLease.get().checkHealthy(); // LockLostException: stop before the next write
        done++;
      }
      return done;
    }
  }

  // --- README: the LockRegistry bean, without the annotation ---
  @Service
  public static class AccountService {
    private final LockRegistry locks;

    public AccountService(LockRegistry locks) {
      this.locks = locks;
    }

    public long transfer(String accountId) {
      try (Lease lease = locks.obtain("account-" + accountId).acquire(Duration.ofSeconds(5))) {
        return lease.fencingToken(); // pass it to the database write it guards
      }
    }
  }
}
