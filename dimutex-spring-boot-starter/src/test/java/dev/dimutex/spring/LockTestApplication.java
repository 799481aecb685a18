package dev.dimutex.spring;

import dev.dimutex.InspectableLockRegistry;
import dev.dimutex.LeaseInfo;
import dev.dimutex.LockObjectInfo;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** The application that the annotation tests run against. */
@SpringBootConfiguration
@EnableAutoConfiguration
public class LockTestApplication {

  @Bean
  Tenant tenant() {
    return new Tenant("acme");
  }

  @Bean
  Jobs jobs(InspectableLockRegistry registry, Inner inner, JdbcTemplate jdbc) {
    return new Jobs(registry, inner, jdbc);
  }

  @Bean
  Inner inner() {
    return new Inner();
  }

  public record Tenant(String id) {}

  /** Called from {@link Jobs#outer()} to show reentrancy across beans. */
  public static class Inner {
    @DistributedLock("reentrant")
    public long inner() {
      return CurrentLease.get().fencingToken();
    }
  }

  /** Annotated methods, one per behaviour. */
  public static class Jobs {
    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<Boolean> heldDuringCommit = new CopyOnWriteArrayList<>();
    private final InspectableLockRegistry registry;
    private final Inner inner;
    private final JdbcTemplate jdbc;

    // Read through methods: the bean is a CGLIB proxy whose own fields are unused.
    public List<String> calls() {
      return calls;
    }

    public List<Boolean> heldDuringCommit() {
      return heldDuringCommit;
    }

    Jobs(InspectableLockRegistry registry, Inner inner, JdbcTemplate jdbc) {
      this.registry = registry;
      this.inner = inner;
      this.jdbc = jdbc;
    }

    @DistributedLock(value = "busy", onHeld = OnHeld.SKIP)
    public void skipWhenBusy() {
      calls.add("skipWhenBusy");
    }

    @DistributedLock(value = "busy", onHeld = OnHeld.SKIP)
    public Optional<String> optionalWhenBusy() {
      calls.add("optionalWhenBusy");
      return Optional.of("ran");
    }

    @DistributedLock(value = "busy", onHeld = OnHeld.SKIP)
    public @Nullable String nullableWhenBusy() {
      calls.add("nullableWhenBusy");
      return "ran";
    }

    @DistributedLock("busy")
    public String failWhenBusy() {
      calls.add("failWhenBusy");
      return "ran";
    }

    @DistributedLock(value = "busy", waitFor = "${test.busy-wait}")
    public long waitWhenBusy() {
      calls.add("waitWhenBusy");
      return CurrentLease.get().fencingToken();
    }

    @DistributedLock("order-#{#id}")
    public String order(String id) {
      return CurrentLease.get().name();
    }

    @DistributedLock("#{@tenant.id}-sync")
    public String tenantSync() {
      return CurrentLease.get().name();
    }

    @DistributedLock("${test.lock-prefix}-#{#p0}")
    public String placeholder(int shard) {
      return CurrentLease.get().name();
    }

    @DistributedLock("raw-#{#input}")
    public String raw(String input) {
      return CurrentLease.get().name();
    }

    @DistributedLock("x-#{#id.noSuchMethod()}")
    public void brokenTemplate(String id) {
      calls.add("brokenTemplate");
    }

    @DistributedLock("long-#{#suffix}")
    public void invalidName(String suffix) {
      calls.add("invalidName");
    }

    @DistributedLock("reentrant")
    public long[] outer() {
      long outerToken = CurrentLease.get().fencingToken();
      return new long[] {outerToken, inner.inner(), CurrentLease.get().fencingToken()};
    }

    @DistributedLock("async")
    public CompletableFuture<String> async(CompletableFuture<String> gate) {
      long token = CurrentLease.get().fencingToken();
      return gate.thenApply(value -> value + "@" + token);
    }

    @DistributedLock("async-failing")
    public CompletableFuture<String> asyncFailing(CompletableFuture<String> gate) {
      return gate.thenApply(
          value -> {
            throw new IllegalStateException("async work failed");
          });
    }

    @DistributedLock("throws")
    public void fails() {
      throw new IllegalStateException("work failed");
    }

    @Transactional
    @DistributedLock("tx")
    public void transactional() {
      jdbc.update("insert into audit(name) values (?)", "tx");
      TransactionSynchronizationManager.registerSynchronization(
          new TransactionSynchronization() {
            @Override
            public void afterCommit() {
              heldDuringCommit.add(
                  registry.heldLeases().stream().map(LeaseInfo::name).anyMatch("tx"::equals));
            }
          });
    }

    @Transactional
    @DistributedLock("tx")
    public void transactionalFailing() {
      jdbc.update("insert into audit(name) values (?)", "rolled-back");
      TransactionSynchronizationManager.registerSynchronization(
          new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
              if (status == STATUS_ROLLED_BACK) {
                heldDuringCommit.add(
                    registry.heldLeases().stream().map(LeaseInfo::name).anyMatch("tx"::equals));
              }
            }
          });
      throw new IllegalStateException("roll back");
    }

    @DistributedLock(value = "min-hold", holdAtLeast = "3s", onHeld = OnHeld.SKIP)
    public void quick() {
      calls.add("quick");
    }

    @DistributedLock(value = "short-ttl", ttl = "7s")
    public Duration ttlOverride() {
      return CurrentLease.find("short-ttl").isPresent()
          ? registry.lockObjects().stream()
              .filter(o -> o.name().equals("short-ttl"))
              .map(LockObjectInfo::ttl)
              .findFirst()
              .orElseThrow()
          : Duration.ZERO;
    }

    @DistributedLock("health")
    public void checkHealth() {
      CurrentLease.get().checkHealthy();
      calls.add("checkHealth");
    }
  }
}
