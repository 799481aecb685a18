package dev.dimutex.spring;

import dev.dimutex.Lease;
import dev.dimutex.LockException;
import dev.dimutex.Mutex;
import dev.dimutex.StoreUnavailableException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * Runs intercepted calls under their lock: the one entry point for the Spring AOP interceptor and
 * the AspectJ aspect. Blocking methods and {@code CompletionStage} methods are handled here, Mono
 * and Flux methods by {@link ReactiveLockedCalls}.
 */
final class LockedCalls {

  private final LockMethods methods;
  private final LockOutcomes outcomes;
  private final DelayedReleases releases;
  private final HeldLocks held = new HeldLocks();
  private final @Nullable Object reactive;

  LockedCalls(LockMethods methods, LockOutcomes outcomes, DelayedReleases releases) {
    this.methods = methods;
    this.outcomes = outcomes;
    this.releases = releases;
    this.reactive =
        ReturnKind.REACTOR_PRESENT
            ? new ReactiveLockedCalls(methods, outcomes, releases, held)
            : null;
  }

  LockMethods methods() {
    return methods;
  }

  /**
   * Releases at once the leases still held for {@code holdAtLeast}; later releases are immediate.
   */
  void close() {
    releases.close();
  }

  @Nullable Object run(LockedCall call) throws Throwable {
    LockMethodSpec spec = methods.spec(call.method(), call.targetClass());
    if (spec.returnKind == ReturnKind.MONO || spec.returnKind == ReturnKind.FLUX) {
      return ((ReactiveLockedCalls) requireReactive()).run(spec, call);
    }
    String name = methods.resolveName(spec, call.arguments());
    Lease outer = held.find(name);
    if (outer != null) {
      held.enterNested(outer);
      try {
        return call.proceed();
      } finally {
        held.exitNested();
      }
    }
    Mutex mutex = methods.mutex(spec, name);
    DistributedLockObserver.Wait wait = outcomes.acquiring(spec);
    long start = releases.nanoTime();
    Optional<Lease> acquired;
    try {
      acquired = mutex.tryAcquire(spec.waitFor);
    } catch (StoreUnavailableException e) {
      Duration waited = Duration.ofNanos(releases.nanoTime() - start);
      if (spec.onHeld == OnHeld.SKIP) {
        outcomes.skippedUnavailable(spec, name, waited, e, wait);
        return spec.skipValue();
      }
      throw outcomes.unavailable(spec, name, waited, e, wait);
    } catch (RuntimeException | Error e) {
      wait.failed(e);
      throw e;
    }
    long acquiredAt = releases.nanoTime();
    Duration waited = Duration.ofNanos(acquiredAt - start);
    if (acquired.isEmpty()) {
      if (spec.onHeld == OnHeld.SKIP) {
        outcomes.skippedHeld(spec, name, waited, wait);
        return spec.skipValue();
      }
      throw outcomes.heldElsewhere(spec, name, waited, wait);
    }
    Lease lease = acquired.get();
    DistributedLockObserver.HoldTimer timer = outcomes.acquired(spec, waited, wait);
    return holding(spec, call, lease, acquiredAt, timer);
  }

  private @Nullable Object holding(
      LockMethodSpec spec,
      LockedCall call,
      Lease lease,
      long acquiredAt,
      DistributedLockObserver.HoldTimer timer)
      throws Throwable {
    held.enter(lease);
    boolean handedOff = false;
    Throwable failure = null;
    try {
      Object result = call.proceed();
      if (spec.returnKind == ReturnKind.STAGE && result instanceof CompletionStage<?> stage) {
        handedOff = true;
        return releaseOnCompletion(stage, spec, lease, acquiredAt, timer);
      }
      return result;
    } catch (Throwable t) {
      failure = t;
      throw t;
    } finally {
      held.exit(lease);
      if (!handedOff) {
        try {
          releases.release(lease, spec.holdAtLeast, acquiredAt, timer, spec.description);
        } catch (LockException e) {
          if (failure != null) {
            failure.addSuppressed(e);
          } else {
            throw e;
          }
        }
      }
    }
  }

  private Object releaseOnCompletion(
      CompletionStage<?> stage,
      LockMethodSpec spec,
      Lease lease,
      long acquiredAt,
      DistributedLockObserver.HoldTimer timer) {
    CompletionStage<?> after =
        stage.handle(
            (value, error) -> {
              try {
                releases.release(lease, spec.holdAtLeast, acquiredAt, timer, spec.description);
              } catch (LockException e) {
                if (error == null) {
                  throw e;
                }
                error.addSuppressed(e);
              }
              if (error != null) {
                throw error instanceof CompletionException ce ? ce : new CompletionException(error);
              }
              return value;
            });
    return spec.method.getReturnType().isInstance(after) ? after : stage;
  }

  private Object requireReactive() {
    Object handler = reactive;
    if (handler == null) {
      throw new IllegalStateException("Reactor is not on the classpath");
    }
    return handler;
  }
}
