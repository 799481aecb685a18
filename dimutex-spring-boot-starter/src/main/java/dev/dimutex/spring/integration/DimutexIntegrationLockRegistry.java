package dev.dimutex.spring.integration;

import dev.dimutex.Lease;
import dev.dimutex.LockInterruptedException;
import dev.dimutex.Mutex;
import dev.dimutex.spring.LockRegistries;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.integration.support.locks.DistributedLock;
import org.springframework.integration.support.locks.RenewableLockRegistry;

/**
 * A Spring Integration {@link org.springframework.integration.support.locks.LockRegistry} backed by
 * dimutex. {@link #obtain(Object)} returns the same lock for equal keys ({@code key.toString()} is
 * the lock name); each lock is bound to the thread that holds it and reentrant.
 *
 * <p>Leases are refreshed automatically, so {@link #renewLock(Object)} is needed only to extend a
 * lease at once. A lock whose lease was lost reports it: a reentrant {@code tryLock} by the holding
 * thread returns {@code false} after dropping the lost hold (so that {@code
 * LockRegistryLeaderInitiator} revokes leadership), and {@code unlock} throws {@link
 * dev.dimutex.LockLostException}.
 */
public class DimutexIntegrationLockRegistry implements RenewableLockRegistry<DistributedLock> {

  private static final Logger log = LoggerFactory.getLogger(DimutexIntegrationLockRegistry.class);

  /** Wait used for the unbounded {@code lock()} calls, repeated until the lock is acquired. */
  private static final Duration LONG_WAIT = Duration.ofMinutes(10);

  private final LockRegistries registries;
  private final Map<String, GcsBackedLock> locks = new ConcurrentHashMap<>();

  /**
   * Creates the adapter.
   *
   * @param registries the dimutex registries to take locks from
   */
  public DimutexIntegrationLockRegistry(LockRegistries registries) {
    this.registries = registries;
  }

  /**
   * Returns the lock for a key.
   *
   * @param lockKey the key; its {@code toString()} is the lock name
   * @return the lock, the same instance for equal keys
   * @throws dev.dimutex.InvalidLockNameException if the name breaks an object-name rule
   */
  @Override
  public DistributedLock obtain(Object lockKey) {
    String name = lockKey.toString();
    return locks.computeIfAbsent(name, n -> new GcsBackedLock(n, registries.registry().obtain(n)));
  }

  /**
   * Extends the lease of a lock that the current thread holds.
   *
   * @param lockKey the key
   * @throws IllegalStateException if the current thread does not hold the lock
   * @throws dev.dimutex.LockLostException if the lease has been lost
   */
  @Override
  public void renewLock(Object lockKey) {
    GcsBackedLock lock = locks.get(lockKey.toString());
    Lease lease = lock == null ? null : lock.leaseOfCurrentThread();
    if (lease == null) {
      throw new IllegalStateException(
          "The current thread does not hold lock '" + lockKey + "'; only the holder can renew it");
    }
    lease.refresh();
  }

  /**
   * Not supported with another TTL: a lease keeps the TTL it was acquired with. With the TTL of the
   * current lease, same as {@link #renewLock(Object)}.
   *
   * @param lockKey the key
   * @param ttl the TTL
   * @throws UnsupportedOperationException if {@code ttl} differs from the lease's TTL
   */
  @Override
  public void renewLock(Object lockKey, Duration ttl) {
    GcsBackedLock lock = locks.get(lockKey.toString());
    if (lock != null && ttl.equals(lock.heldTtl())) {
      renewLock(lockKey);
      return;
    }
    throw new UnsupportedOperationException(
        "dimutex leases keep the TTL they were acquired with; renewLock('"
            + lockKey
            + "', "
            + ttl
            + ") cannot change it. Release the lock and lock it again with lock(ttl), or call"
            + " renewLock(key)");
  }

  private final class GcsBackedLock implements DistributedLock {
    private final String name;
    private final Mutex mutex;
    private @Nullable Thread owner;
    private int holds;
    private @Nullable Lease lease;
    private @Nullable Duration ttl;

    GcsBackedLock(String name, Mutex mutex) {
      this.name = name;
      this.mutex = mutex;
    }

    synchronized @Nullable Lease leaseOfCurrentThread() {
      return owner == Thread.currentThread() ? lease : null;
    }

    synchronized @Nullable Duration heldTtl() {
      return owner == Thread.currentThread() ? ttl : null;
    }

    /** Reentry by the holder: true if counted, false if the hold was lost and dropped. */
    private synchronized @Nullable Boolean reenter() {
      if (owner != Thread.currentThread()) {
        return null;
      }
      Lease current = lease;
      if (current != null && current.isHealthy()) {
        holds++;
        return Boolean.TRUE;
      }
      log.warn("Lease of lock '{}' was lost; dropping this thread's hold", name);
      owner = null;
      holds = 0;
      lease = null;
      ttl = null;
      if (current != null) {
        try {
          current.release();
        } catch (RuntimeException e) {
          log.debug("Release of lost lease '{}' failed as expected", name, e);
        }
      }
      return Boolean.FALSE;
    }

    private synchronized void hold(Lease acquired, @Nullable Duration leaseTtl) {
      owner = Thread.currentThread();
      holds = 1;
      lease = acquired;
      ttl = leaseTtl;
    }

    private Mutex mutexFor(@Nullable Duration leaseTtl) {
      return leaseTtl == null ? mutex : registries.registry(leaseTtl).obtain(name);
    }

    private boolean attempt(Duration wait, @Nullable Duration leaseTtl)
        throws InterruptedException {
      Boolean reentered = reenter();
      if (reentered != null) {
        return reentered;
      }
      Optional<Lease> acquired;
      try {
        acquired = mutexFor(leaseTtl).tryAcquire(wait);
      } catch (LockInterruptedException e) {
        Thread.interrupted();
        InterruptedException interrupted = new InterruptedException(e.getMessage());
        interrupted.initCause(e);
        throw interrupted;
      }
      if (acquired.isEmpty()) {
        return false;
      }
      hold(acquired.get(), leaseTtl);
      return true;
    }

    private void lockUninterruptibly(@Nullable Duration leaseTtl) {
      boolean interrupted = false;
      try {
        while (true) {
          try {
            if (attempt(LONG_WAIT, leaseTtl)) {
              return;
            }
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }

    @Override
    public void lock() {
      lockUninterruptibly(null);
    }

    @Override
    public void lock(Duration ttl) {
      lockUninterruptibly(ttl);
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
      while (!attempt(LONG_WAIT, null)) {
        if (Thread.interrupted()) {
          throw new InterruptedException("Interrupted while waiting for lock '" + name + "'");
        }
      }
    }

    @Override
    public boolean tryLock() {
      try {
        return attempt(Duration.ZERO, null);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
      return attempt(Duration.ofNanos(Math.max(0, unit.toNanos(time))), null);
    }

    @Override
    public boolean tryLock(Duration waitTime, Duration ttl) throws InterruptedException {
      return attempt(waitTime.isNegative() ? Duration.ZERO : waitTime, ttl);
    }

    @Override
    public void unlock() {
      Lease toRelease;
      synchronized (this) {
        if (owner != Thread.currentThread()) {
          throw new IllegalMonitorStateException(
              "The current thread does not hold lock '" + name + "'");
        }
        if (--holds > 0) {
          return;
        }
        toRelease = lease;
        owner = null;
        lease = null;
        ttl = null;
      }
      if (toRelease != null) {
        toRelease.release();
      }
    }

    @Override
    public Condition newCondition() {
      throw new UnsupportedOperationException(
          "Conditions are not supported by distributed lock '" + name + "'");
    }

    @Override
    public String toString() {
      return "DimutexLock[" + name + "]";
    }
  }
}
