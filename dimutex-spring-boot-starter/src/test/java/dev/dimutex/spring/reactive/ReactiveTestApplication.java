package dev.dimutex.spring.reactive;

import dev.dimutex.Lease;
import dev.dimutex.LockRegistry;
import dev.dimutex.spring.CurrentLease;
import dev.dimutex.spring.DistributedLock;
import dev.dimutex.spring.OnHeld;
import dev.dimutex.spring.ReactiveCurrentLease;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** An application with Mono and Flux methods, locked on the emulator. */
@SpringBootConfiguration
@EnableAutoConfiguration
public class ReactiveTestApplication {

  @Bean
  ReactiveJobs reactiveJobs(LockRegistry observer) {
    return new ReactiveJobs();
  }

  /** Mono and Flux methods; {@link #observer} is another instance's registry, set by the test. */
  public static class ReactiveJobs {
    final AtomicInteger active = new AtomicInteger();
    final AtomicInteger maxActive = new AtomicInteger();
    final List<String> calls = new CopyOnWriteArrayList<>();
    volatile LockRegistry observer;

    public List<String> calls() {
      return calls;
    }

    public int maxActive() {
      return maxActive.get();
    }

    public void observeWith(LockRegistry registry) {
      observer = registry;
    }

    /** Whether the other instance sees the lock held, asked off the event loop. */
    Mono<Boolean> lockedElsewhere(String name) {
      return Mono.fromCallable(() -> observer.obtain(name).isLocked())
          .subscribeOn(Schedulers.boundedElastic());
    }

    @DistributedLock(value = "rx-serial", waitFor = "30s")
    public Mono<Long> serial() {
      calls.add("serial");
      return ReactiveCurrentLease.get()
          .flatMap(
              lease -> {
                int now = active.incrementAndGet();
                maxActive.accumulateAndGet(now, Math::max);
                return lockedElsewhere("rx-serial")
                    .delayElement(Duration.ofMillis(300))
                    .doFinally(signal -> active.decrementAndGet())
                    .map(locked -> locked ? lease.fencingToken() : -1L);
              });
    }

    @DistributedLock("rx-ticks")
    public Flux<Boolean> ticks(int count) {
      return Flux.interval(Duration.ofMillis(150))
          .take(count)
          .concatMap(i -> lockedElsewhere("rx-ticks"));
    }

    @DistributedLock("rx-endless")
    public Flux<Long> endless() {
      return Flux.interval(Duration.ofMillis(50));
    }

    @DistributedLock("rx-failing")
    public Mono<String> failing() {
      return Mono.delay(Duration.ofMillis(100))
          .then(Mono.error(new IllegalStateException("reactive work failed")));
    }

    @DistributedLock("rx-lazy")
    public Mono<String> lazy() {
      calls.add("lazy");
      return Mono.just("ran");
    }

    @DistributedLock(value = "rx-busy", onHeld = OnHeld.SKIP)
    public Mono<String> skipMono() {
      calls.add("skipMono");
      return Mono.just("ran");
    }

    @DistributedLock(value = "rx-busy", onHeld = OnHeld.SKIP)
    public Flux<String> skipFlux() {
      calls.add("skipFlux");
      return Flux.just("a", "b");
    }

    @DistributedLock(value = "rx-busy", waitFor = "30s")
    public Mono<String> waitLong() {
      calls.add("waitLong");
      return Mono.just("ran");
    }

    @DistributedLock("rx-busy")
    public Mono<String> failMono() {
      calls.add("failMono");
      return Mono.just("ran");
    }

    /** Reads the lease both ways: on the subscribing thread, and from the Reactor context. */
    @DistributedLock("rx-lease-#{#id}")
    public Mono<String> leaseNames(String id) {
      String onThread = CurrentLease.get().name();
      return ReactiveCurrentLease.get()
          .map(Lease::name)
          .map(inContext -> onThread + "|" + inContext);
    }

    /** Subscribes a locked Mono of the same name inside its own pipeline. */
    @DistributedLock("rx-nested")
    public Mono<long[]> outer(ReactiveJobs self) {
      return ReactiveCurrentLease.get()
          .flatMap(lease -> self.inner().map(inner -> new long[] {lease.fencingToken(), inner}));
    }

    @DistributedLock("rx-nested")
    public Mono<Long> inner() {
      return ReactiveCurrentLease.get().map(Lease::fencingToken);
    }
  }
}
