package dev.dimutex.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dimutex.spring.integration.DimutexIntegrationLockRegistry;
import dev.dimutex.testing.Claim;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.integration.leader.DefaultCandidate;
import org.springframework.integration.support.leader.LockRegistryLeaderInitiator;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/** Two application contexts on one emulator, as two instances of an application would be. */
class TwoInstancesTests {

  private static ConfigurableApplicationContext start(Class<?> app, String node, String prefix) {
    return new SpringApplicationBuilder(app)
        .web(WebApplicationType.NONE)
        .properties(
            "dimutex.gcs.bucket=" + TestEmulator.BUCKET,
            "dimutex.gcs.emulator-host=" + TestEmulator.hostPort(),
            "dimutex.gcs.prefix=" + prefix,
            "dimutex.ttl=6s",
            "node=" + node,
            "spring.autoconfigure.exclude="
                + "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
        .run();
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + timeout);
      }
      Thread.sleep(20);
    }
  }

  record Run(String node, long startNanos, long endNanos) {}

  static final List<Run> RUNS = new CopyOnWriteArrayList<>();
  static final AtomicInteger SKIPS = new AtomicInteger();

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @EnableScheduling
  static class JobApp {
    @Bean
    ReportJob reportJob(@Value("${node}") String node) {
      return new ReportJob(node);
    }

    @Bean
    DistributedLockObserver skipCounter() {
      return new DistributedLockObserver() {
        @Override
        public void skipped(String nameTemplate, Duration waited) {
          SKIPS.incrementAndGet();
        }
      };
    }
  }

  public static class ReportJob {
    private final String node;

    ReportJob(String node) {
      this.node = node;
    }

    @Scheduled(fixedDelay = 20)
    @DistributedLock(value = "report", onHeld = OnHeld.SKIP)
    public void run() throws InterruptedException {
      long start = System.nanoTime();
      Thread.sleep(80);
      RUNS.add(new Run(node, start, System.nanoTime()));
    }
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class LeaderApp {
    @Bean
    LockRegistryLeaderInitiator leaderInitiator(
        DimutexIntegrationLockRegistry registry, @Value("${node}") String node) {
      LockRegistryLeaderInitiator initiator =
          new LockRegistryLeaderInitiator(registry, new DefaultCandidate(node, "leader"));
      initiator.setHeartBeatMillis(300);
      initiator.setBusyWaitMillis(100);
      return initiator;
    }
  }

  @Nested
  class ScheduledJobs {

    @Test
    @Claim("C-STA-27")
    void aScheduledJobNeverRunsInTwoInstancesAtOnce() throws Exception {
      RUNS.clear();
      SKIPS.set(0);
      ConfigurableApplicationContext a = start(JobApp.class, "a", "scheduled/");
      ConfigurableApplicationContext b = start(JobApp.class, "b", "scheduled/");
      try {
        // fails with an AssertionError unless the two instances ran and contended for 30 s
        awaitTrue(() -> RUNS.size() >= 10 && SKIPS.get() >= 3, Duration.ofSeconds(30));
      } finally {
        a.close();
        b.close();
      }
      List<Run> runs = new ArrayList<>(RUNS);
      runs.sort(Comparator.comparingLong(Run::startNanos));
      for (int i = 1; i < runs.size(); i++) {
        Run previous = runs.get(i - 1);
        Run next = runs.get(i);
        assertThat(next.startNanos())
            .as(
                "run %d (%s) starts after run %d (%s) ended",
                i, next.node(), i - 1, previous.node())
            .isGreaterThanOrEqualTo(previous.endNanos());
      }
      assertThat(SKIPS.get()).as("the instances did contend for the lock").isPositive();
    }
  }

  @Nested
  class LeaderElection {

    private LockRegistryLeaderInitiator initiator(ConfigurableApplicationContext context) {
      return context.getBean(LockRegistryLeaderInitiator.class);
    }

    @Test
    @Claim("C-STA-26")
    @Claim("C-CMP-5")
    void lockRegistryLeaderInitiatorElectsExactlyOneLeader() throws Exception {
      ConfigurableApplicationContext a = start(LeaderApp.class, "a", "leader/");
      ConfigurableApplicationContext b = start(LeaderApp.class, "b", "leader/");
      try {
        awaitTrue(
            () -> initiator(a).getContext().isLeader() || initiator(b).getContext().isLeader(),
            Duration.ofSeconds(10));
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
        while (System.nanoTime() < end) {
          boolean leaderA = initiator(a).getContext().isLeader();
          boolean leaderB = initiator(b).getContext().isLeader();
          assertThat(leaderA && leaderB).as("two leaders at once").isFalse();
          Thread.sleep(50);
        }
        ConfigurableApplicationContext leader = initiator(a).getContext().isLeader() ? a : b;
        ConfigurableApplicationContext follower = leader == a ? b : a;
        assertThat(initiator(follower).getContext().isLeader())
            .as("the other instance is not leader as well")
            .isFalse();
        LockRegistryLeaderInitiator closedInitiator = initiator(leader);
        leader.close();
        awaitTrue(() -> initiator(follower).getContext().isLeader(), Duration.ofSeconds(10));
        assertThat(closedInitiator.getContext().isLeader())
            .as("the closed instance gave leadership up")
            .isFalse();
      } finally {
        a.close();
        b.close();
      }
    }
  }
}
