package dev.dimutex.spring;

import dev.dimutex.InvalidLockNameException;
import dev.dimutex.Lease;
import dev.dimutex.LockException;
import dev.dimutex.LockRegistry;
import dev.dimutex.LockTimeoutException;
import dev.dimutex.Mutex;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.core.MethodClassKey;
import org.springframework.expression.EvaluationException;

/** Takes the lock around a {@link DistributedLock} method. */
final class DistributedLockInterceptor implements MethodInterceptor {

  private static final Logger log = LoggerFactory.getLogger(DistributedLockInterceptor.class);

  /** Locks held by the current thread through this interceptor, by resolved name. */
  private final ThreadLocal<Map<String, Lease>> held = new ThreadLocal<>();

  private final Supplier<LockRegistries> registries;
  private final Supplier<DistributedLockObserver> observer;
  private final Duration defaultWaitFor;
  private final OnHeld defaultOnHeld;
  private final Map<MethodClassKey, LockMethodSpec> specs = new ConcurrentHashMap<>();
  private final Set<DelayedRelease> delayedReleases = ConcurrentHashMap.newKeySet();
  private volatile @Nullable ScheduledExecutorService releaseScheduler;
  private volatile boolean closed;
  private @Nullable BeanFactory beanFactory;
  private UnaryOperator<String> placeholders = UnaryOperator.identity();

  DistributedLockInterceptor(
      Supplier<LockRegistries> registries,
      Supplier<DistributedLockObserver> observer,
      Duration defaultWaitFor,
      OnHeld defaultOnHeld) {
    this.registries = registries;
    this.observer = observer;
    this.defaultWaitFor = defaultWaitFor;
    this.defaultOnHeld = defaultOnHeld;
  }

  void setBeanFactory(BeanFactory beanFactory, UnaryOperator<String> placeholders) {
    this.beanFactory = beanFactory;
    this.placeholders = placeholders;
  }

  LockMethodSpec spec(Method method, Class<?> targetClass) {
    return specs.computeIfAbsent(
        new MethodClassKey(method, targetClass),
        key -> {
          Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
          DistributedLock annotation = LockMethodSpec.findAnnotation(specific);
          if (annotation == null) {
            throw new IllegalStateException(
                "No @DistributedLock on " + LockMethodSpec.describe(specific));
          }
          return LockMethodSpec.parse(
              specific, annotation, placeholders, defaultWaitFor, defaultOnHeld);
        });
  }

  /** Creates the registry for a TTL override now, reporting a TTL that it rejects. */
  void checkTtl(LockMethodSpec spec) {
    Duration ttl = spec.ttl;
    if (ttl == null) {
      return;
    }
    try {
      registries.get().registry(ttl);
    } catch (RuntimeException e) {
      throw new InvalidLockAnnotationException(
          List.of(spec.description + ": ttl " + ttl + " is not accepted: " + e.getMessage()));
    }
  }

  @Override
  public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
    Object target = invocation.getThis();
    Class<?> targetClass =
        target != null
            ? AopUtils.getTargetClass(target)
            : invocation.getMethod().getDeclaringClass();
    LockMethodSpec spec = spec(invocation.getMethod(), targetClass);
    String name;
    try {
      name = spec.resolveName(invocation.getArguments(), beanFactory);
    } catch (EvaluationException e) {
      throw new LockException(
          "Cannot resolve lock name template '"
              + spec.template
              + "' for "
              + spec.description
              + ": "
              + e.getMessage(),
          e);
    }

    Map<String, Lease> heldByThread = held.get();
    Lease outer = heldByThread == null ? null : heldByThread.get(name);
    if (outer != null) {
      CurrentLease.push(outer);
      try {
        return invocation.proceed();
      } finally {
        CurrentLease.pop();
      }
    }

    LockRegistry registry =
        spec.ttl == null ? registries.get().registry() : registries.get().registry(spec.ttl);
    Mutex mutex;
    try {
      mutex = registry.obtain(name);
    } catch (InvalidLockNameException e) {
      InvalidLockNameException wrapped =
          new InvalidLockNameException(
              "Lock name '"
                  + name
                  + "' resolved from template '"
                  + spec.template
                  + "' for "
                  + spec.description
                  + " is invalid: "
                  + e.getMessage());
      wrapped.initCause(e);
      throw wrapped;
    }

    DistributedLockObserver obs = observer.get();
    notify(() -> obs.acquiring(spec.template));
    long start = System.nanoTime();
    Optional<Lease> acquired = mutex.tryAcquire(spec.waitFor);
    Duration waited = Duration.ofNanos(System.nanoTime() - start);
    if (acquired.isEmpty()) {
      if (spec.onHeld == OnHeld.SKIP) {
        notify(() -> obs.skipped(spec.template, waited));
        log.debug("Skipped {}: lock '{}' is held by another owner", spec.description, name);
        return spec.skipValue();
      }
      notify(() -> obs.timedOut(spec.template, waited));
      throw new LockTimeoutException(
          "Lock '"
              + name
              + "' is held elsewhere; "
              + spec.description
              + " was not run (waited "
              + waited.toMillis()
              + " ms, waitFor "
              + spec.waitFor
              + ")");
    }
    Lease lease = acquired.get();
    long acquiredAt = System.nanoTime();
    notify(() -> obs.acquired(spec.template, waited));
    DistributedLockObserver.HoldTimer timer = holdTimer(obs, spec.template);

    Map<String, Lease> map = heldByThread == null ? new HashMap<>() : heldByThread;
    if (heldByThread == null) {
      held.set(map);
    }
    map.put(name, lease);
    CurrentLease.push(lease);
    boolean handedOff = false;
    Throwable failure = null;
    try {
      Object result = invocation.proceed();
      if (spec.stageReturn && result instanceof CompletionStage<?> stage) {
        handedOff = true;
        return releaseOnCompletion(stage, spec, lease, acquiredAt, timer);
      }
      return result;
    } catch (Throwable t) {
      failure = t;
      throw t;
    } finally {
      CurrentLease.pop();
      map.remove(name);
      if (map.isEmpty()) {
        held.remove();
      }
      if (!handedOff) {
        try {
          releaseOrDelay(spec, lease, acquiredAt, timer);
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
                releaseOrDelay(spec, lease, acquiredAt, timer);
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

  private void releaseOrDelay(
      LockMethodSpec spec, Lease lease, long acquiredAt, DistributedLockObserver.HoldTimer timer) {
    Duration minimum = spec.holdAtLeast;
    if (minimum != null) {
      long remaining = minimum.toNanos() - (System.nanoTime() - acquiredAt);
      if (remaining > 0 && !closed) {
        DelayedRelease delayed = new DelayedRelease(lease, timer);
        delayedReleases.add(delayed);
        delayed.future = scheduler().schedule(delayed::runQuietly, remaining, TimeUnit.NANOSECONDS);
        log.debug(
            "Lock '{}' stays held for holdAtLeast {} after {} returned",
            lease.name(),
            minimum,
            spec.description);
        return;
      }
    }
    release(lease, timer);
  }

  private static void release(Lease lease, DistributedLockObserver.HoldTimer timer) {
    try {
      lease.release();
    } finally {
      try {
        timer.stop();
      } catch (RuntimeException e) {
        log.warn("DistributedLockObserver failed to stop a hold timer", e);
      }
    }
  }

  private static DistributedLockObserver.HoldTimer holdTimer(
      DistributedLockObserver obs, String template) {
    try {
      return obs.holdStarted(template);
    } catch (RuntimeException e) {
      log.warn("DistributedLockObserver failed to start a hold timer", e);
      return () -> {};
    }
  }

  private static void notify(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      log.warn("DistributedLockObserver failed", e);
    }
  }

  private ScheduledExecutorService scheduler() {
    ScheduledExecutorService scheduler = releaseScheduler;
    if (scheduler == null) {
      synchronized (this) {
        scheduler = releaseScheduler;
        if (scheduler == null) {
          scheduler =
              Executors.newSingleThreadScheduledExecutor(
                  r -> {
                    Thread thread = new Thread(r, "dimutex-hold-at-least");
                    thread.setDaemon(true);
                    return thread;
                  });
          releaseScheduler = scheduler;
        }
      }
    }
    return scheduler;
  }

  /** Releases at once every lease whose holdAtLeast release is still pending. */
  void close() {
    closed = true;
    ScheduledExecutorService scheduler = releaseScheduler;
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
    List<DelayedRelease> pending = new ArrayList<>(delayedReleases);
    for (DelayedRelease delayed : pending) {
      ScheduledFuture<?> future = delayed.future;
      if (future != null) {
        future.cancel(false);
      }
      delayed.runQuietly();
    }
  }

  private final class DelayedRelease {
    private final Lease lease;
    private final DistributedLockObserver.HoldTimer timer;
    private volatile @Nullable ScheduledFuture<?> future;
    private boolean done;

    DelayedRelease(Lease lease, DistributedLockObserver.HoldTimer timer) {
      this.lease = lease;
      this.timer = timer;
    }

    void runQuietly() {
      synchronized (this) {
        if (done) {
          return;
        }
        done = true;
      }
      delayedReleases.remove(this);
      try {
        release(lease, timer);
      } catch (RuntimeException e) {
        log.warn("Release of lock '{}' after holdAtLeast failed", lease.name(), e);
      }
    }
  }
}
