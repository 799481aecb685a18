package dev.dimutex.spring;

import dev.dimutex.Lease;
import dev.dimutex.LockTimeoutException;
import dev.dimutex.Mutex;
import dev.dimutex.StoreUnavailableException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Locks {@code Mono} and {@code Flux} methods from subscription until the publisher completes,
 * fails or is cancelled, with {@code usingWhen} over {@link Mutex#acquireAsync(Duration)}: no
 * thread blocks while waiting. The method itself runs at subscription, under the lock, on a
 * bounded-elastic thread; releases (a blocking request to the store) run there too. A publisher
 * that is never subscribed never takes the lock. Loaded only when Reactor is on the classpath.
 */
final class ReactiveLockedCalls {

  private static final Logger log = LoggerFactory.getLogger(ReactiveLockedCalls.class);

  private final LockMethods methods;
  private final LockOutcomes outcomes;
  private final DelayedReleases releases;
  private final HeldLocks held;

  /** One acquisition: the lease, when it was acquired, and the timer to stop at release. */
  private record Hold(Lease lease, long acquiredAt, DistributedLockObserver.HoldTimer timer) {}

  ReactiveLockedCalls(
      LockMethods methods, LockOutcomes outcomes, DelayedReleases releases, HeldLocks held) {
    this.methods = methods;
    this.outcomes = outcomes;
    this.releases = releases;
    this.held = held;
  }

  Object run(LockMethodSpec spec, LockedCall call) {
    if (spec.returnKind == ReturnKind.MONO) {
      return Mono.deferContextual(
          context -> {
            String name = methods.resolveName(spec, call.arguments());
            Lease outer = ReactiveCurrentLease.find(context, name).orElse(null);
            if (outer != null) {
              return Mono.from(body(call.again(), outer));
            }
            Mutex mutex = methods.mutex(spec, name);
            return Mono.usingWhen(
                acquire(spec, name, mutex),
                hold ->
                    Mono.from(body(call.again(), hold.lease()))
                        .contextWrite(c -> ReactiveCurrentLease.with(c, hold.lease())),
                hold -> release(spec, hold, Ending.COMPLETE),
                (hold, error) -> release(spec, hold, Ending.ERROR),
                hold -> release(spec, hold, Ending.CANCEL));
          });
    }
    return Flux.deferContextual(
        context -> {
          String name = methods.resolveName(spec, call.arguments());
          Lease outer = ReactiveCurrentLease.find(context, name).orElse(null);
          if (outer != null) {
            return body(call.again(), outer);
          }
          Mutex mutex = methods.mutex(spec, name);
          return Flux.usingWhen(
              acquire(spec, name, mutex),
              hold ->
                  Flux.from(body(call.again(), hold.lease()))
                      .contextWrite(c -> ReactiveCurrentLease.with(c, hold.lease())),
              hold -> release(spec, hold, Ending.COMPLETE),
              (hold, error) -> release(spec, hold, Ending.ERROR),
              hold -> release(spec, hold, Ending.CANCEL));
        });
  }

  /** How the locked publisher ended. */
  private enum Ending {
    COMPLETE,
    ERROR,
    CANCEL
  }

  /**
   * Acquires without blocking; the wait is observed from subscription to the acquisition's outcome,
   * or to a cancellation while waiting. Cancelling the subscription cancels the pending
   * acquisition; the registry then releases a lease acquired concurrently, and a lease that was
   * already emitted but not yet used is released through the discard hook.
   */
  private Mono<Hold> acquire(LockMethodSpec spec, String name, Mutex mutex) {
    return Mono.defer(
        () -> {
          DistributedLockObserver.Wait wait = outcomes.acquiring(spec);
          long start = releases.nanoTime();
          return Mono.fromFuture(() -> mutex.acquireAsync(spec.waitFor), false)
              .doOnDiscard(Lease.class, lease -> releaseDiscarded(spec, lease))
              .map(
                  lease -> {
                    long acquiredAt = releases.nanoTime();
                    return new Hold(
                        lease,
                        acquiredAt,
                        outcomes.acquired(spec, Duration.ofNanos(acquiredAt - start), wait));
                  })
              .onErrorResume(
                  error ->
                      notAcquired(
                          spec, name, Duration.ofNanos(releases.nanoTime() - start), error, wait))
              .doOnCancel(wait::cancelled);
        });
  }

  private Mono<Hold> notAcquired(
      LockMethodSpec spec,
      String name,
      Duration waited,
      Throwable error,
      DistributedLockObserver.Wait wait) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof StoreUnavailableException unavailable) {
      if (spec.onHeld == OnHeld.SKIP) {
        outcomes.skippedUnavailable(spec, name, waited, unavailable, wait);
        return Mono.empty();
      }
      return Mono.error(outcomes.unavailable(spec, name, waited, unavailable, wait));
    }
    if (cause instanceof LockTimeoutException) {
      if (spec.onHeld == OnHeld.SKIP) {
        outcomes.skippedHeld(spec, name, waited, wait);
        return Mono.empty();
      }
      return Mono.error(outcomes.heldElsewhere(spec, name, waited, wait));
    }
    wait.failed(cause);
    return Mono.error(cause);
  }

  /**
   * Runs the method on a bounded-elastic thread, with its lease as {@link CurrentLease} while the
   * method body runs (the publisher it returns reads {@link ReactiveCurrentLease} instead).
   */
  private Flux<Object> body(LockedCall call, Lease lease) {
    return Flux.<Object>defer(
            () -> {
              Object result;
              held.enter(lease);
              try {
                result = call.proceed();
              } catch (Throwable t) {
                return Flux.error(t);
              } finally {
                held.exit(lease);
              }
              @SuppressWarnings("unchecked")
              Publisher<Object> publisher = (Publisher<Object>) result;
              return publisher == null ? Flux.empty() : Flux.from(publisher);
            })
        .subscribeOn(Schedulers.boundedElastic());
  }

  /**
   * Releases on a bounded-elastic thread. After completion a failed release (a lost lease) fails
   * the publisher; after an error or a cancellation it is logged, since the subscriber already has
   * its outcome.
   */
  private Mono<Void> release(LockMethodSpec spec, Hold hold, Ending ending) {
    return Mono.<Void>fromRunnable(
            () -> {
              try {
                releases.release(
                    hold.lease(),
                    spec.holdAtLeast,
                    hold.acquiredAt(),
                    hold.timer(),
                    spec.description);
              } catch (RuntimeException e) {
                if (ending == Ending.COMPLETE) {
                  throw e;
                }
                log.warn(
                    "Release of lock '{}' after {} of {} failed",
                    hold.lease().name(),
                    ending == Ending.CANCEL ? "cancellation" : "an error",
                    spec.description,
                    e);
              }
            })
        .subscribeOn(Schedulers.boundedElastic());
  }

  private void releaseDiscarded(LockMethodSpec spec, Lease lease) {
    Schedulers.boundedElastic()
        .schedule(
            () -> {
              try {
                lease.close();
              } catch (RuntimeException e) {
                log.warn(
                    "Release of lock '{}' for cancelled {} failed",
                    lease.name(),
                    spec.description,
                    e);
              }
            });
  }
}
