package dev.dimutex.simulation;

import dev.dimutex.Lease;
import dev.dimutex.LeaseInfo;
import dev.dimutex.LockException;
import dev.dimutex.LockLostException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Lock;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The workload's calls into the public API, each metered against its request budget (documented
 * cost plus the read-backs that earlier unknown outcomes may need) and checked to throw nothing but
 * {@link LockException}.
 */
final class Actions {

  /** What a caller does with an asynchronous acquisition. */
  enum Async {
    WAIT,
    RELEASE_IN_THEN_ACCEPT,
    CANCEL,
    OR_TIMEOUT,
    COMPLETE_EXCEPTIONALLY
  }

  private final World world;
  private final Checker checker;
  private final LongSupplier holdNanos;
  boolean quiescing;
  long lockNanos;

  Actions(World world, Checker checker, LongSupplier holdNanos) {
    this.world = world;
    this.checker = checker;
    this.holdNanos = holdNanos;
  }

  private <T> @Nullable T api(Node n, String what, int budget, Callable<T> call) {
    Meter m = Meter.start(world, n, what);
    try {
      return call.call();
    } catch (LockException e) {
      world.trace(n + " " + what + " threw " + e.getClass().getSimpleName());
      if (e instanceof LockLostException lost) {
        throw lost;
      }
      return null;
    } catch (Exception | StackOverflowError e) {
      world.violation(
          Invariant.EXCEPTION, n + ": " + what + " threw " + e + ", which is not a LockException");
      return null;
    } finally {
      m.stop(budget);
    }
  }

  void tryAcquire(Node n, String name) {
    Optional<Lease> l =
        api(n, "tryAcquire('" + name + "')", 3, () -> n.registry.obtain(name).tryAcquire());
    world.trace(
        n
            + " tryAcquire('"
            + name
            + "') -> "
            + (l == null
                ? "error"
                : l.map(Lease::fencingToken).map(String::valueOf).orElse("busy")));
    if (l != null && l.isPresent()) {
      hold(n, l.get(), name);
    }
  }

  void acquireAsync(Node n, String name, long waitLocal, Async how, long giveUpLocal) {
    CompletableFuture<Lease> f =
        api(
            n,
            "acquireAsync('" + name + "')",
            3,
            () -> n.registry.obtain(name).acquireAsync(Duration.ofNanos(waitLocal)));
    if (f == null) {
      return;
    }
    long start = world.now();
    Node.Pending p = new Node.Pending(name, f, start, start + n.clock.trueDelay(waitLocal));
    n.pending.add(p);
    world.trace(
        n + " acquireAsync('" + name + "', " + Duration.ofNanos(waitLocal) + ", " + how + ")");
    f.whenComplete(
        (lease, ex) -> {
          if (world.callbackDepth > 0) {
            world.violation(
                Invariant.REENTRANT_DELIVERY,
                n
                    + ": the future of acquireAsync('"
                    + name
                    + "') was completed inside the dependent action of another completion"
                    + " (recursive delivery, depth "
                    + world.callbackDepth
                    + ")");
          }
          world.callbackDepth++;
          try {
            onCompleted(n, name, how, lease, ex);
          } finally {
            world.callbackDepth--;
          }
        });
    if (how == Async.CANCEL || how == Async.OR_TIMEOUT || how == Async.COMPLETE_EXCEPTIONALLY) {
      world.at(
          world.now() + n.clock.trueDelay(giveUpLocal),
          n,
          "give up",
          () -> {
            boolean changed =
                switch (how) {
                  case CANCEL -> f.cancel(false);
                  case OR_TIMEOUT -> f.completeExceptionally(new TimeoutException("orTimeout"));
                  default -> f.completeExceptionally(new IllegalStateException("caller gave up"));
                };
            world.trace(
                n + " caller " + how + " on '" + name + "': " + (changed ? "gave up" : "too late"));
          });
    }
  }

  private void onCompleted(
      Node n, String name, Async how, @Nullable Lease lease, @Nullable Throwable ex) {
    world.trace(
        n
            + " acquireAsync('"
            + name
            + "') completed: "
            + (lease != null ? "token " + lease.fencingToken() : String.valueOf(ex)));
    if (lease == null) {
      return;
    }
    if (how == Async.RELEASE_IN_THEN_ACCEPT) {
      Node.Held h = new Node.Held(lease, name, world.now());
      n.held.add(h);
      release(n, h);
    } else {
      hold(n, lease, name);
    }
  }

  private void hold(Node n, Lease lease, String name) {
    Node.Held h = new Node.Held(lease, name, world.now());
    n.held.add(h);
    long at = quiescing ? world.now() : world.now() + holdNanos.getAsLong();
    world.at(at, n, "release", () -> release(n, h));
  }

  void release(Node n, Node.Held h) {
    if (!n.held.remove(h)) {
      return;
    }
    Lease l = h.lease();
    boolean healthyBefore = l.isHealthy();
    lockNanos += world.now() - h.since();
    world.releaseDepth++;
    try {
      api(
          n,
          "release(" + l.fencingToken() + ")",
          3,
          () -> {
            l.release();
            return null;
          });
      world.trace(n + " released " + h.name() + " " + l.fencingToken());
    } catch (LockLostException lost) {
      StoreModel.Generation g = world.store.generation(l.fencingToken());
      if (healthyBefore && g != null && !g.touchedByOther) {
        world.violation(
            Invariant.FALSE_LOST,
            n
                + ": release of healthy token "
                + l.fencingToken()
                + " on '"
                + h.name()
                + "' reported it lost, though no one else ever wrote its object");
      }
    } finally {
      world.releaseDepth--;
      checker.releaseFinished(l.fencingToken());
    }
  }

  void refresh(Node n, Node.Held h) {
    try {
      api(
          n,
          "refresh(" + h.lease().fencingToken() + ")",
          2,
          () -> {
            h.lease().refresh();
            return null;
          });
    } catch (LockLostException lost) {
      world.trace(n + " refresh(" + h.lease().fencingToken() + ") threw LockLostException");
    }
  }

  void forceRelease(Node n, String name) {
    api(
        n,
        "forceRelease('" + name + "')",
        2,
        () -> {
          n.registry.obtain(name).forceRelease();
          return null;
        });
  }

  void isLocked(Node n, String name) {
    api(n, "isLocked('" + name + "')", 1, () -> n.registry.obtain(name).isLocked());
  }

  void list(Node n) {
    api(n, "lockObjects()", 1, n.registry::lockObjects);
  }

  void viewLock(Node n, String name, boolean twice) {
    Lock view = n.registry.obtain(name).asLock();
    Boolean got = api(n, "asLock().tryLock('" + name + "')", 3, view::tryLock);
    if (got == null || !got) {
      return;
    }
    int holds = 1;
    if (twice) {
      Boolean again =
          api(
              n,
              "reentrant tryLock('" + name + "')",
              0,
              world.broken(Breakage.NON_REENTRANT_VIEW)
                  ? () -> n.registry.obtain(name).tryAcquire().isPresent()
                  : view::tryLock);
      if (again == null || !again) {
        world.violation(
            Invariant.REENTRANT_LOCK,
            n + ": a reentrant tryLock of '" + name + "' by its holder failed");
      } else {
        holds = 2;
      }
    }
    n.viewHolds.merge(name, holds, Integer::sum);
    long at = quiescing ? world.now() : world.now() + holdNanos.getAsLong();
    for (int i = 0; i < holds; i++) {
      world.at(at, n, "unlock", () -> viewUnlock(n, name));
    }
  }

  void viewUnlock(Node n, String name) {
    if (n.closed) {
      n.viewHolds.remove(name);
      return;
    }
    int left = n.viewHolds.merge(name, -1, Integer::sum);
    long token = 0;
    for (LeaseInfo info : n.registry.heldLeases()) {
      if (info.name().equals(name)) {
        token = info.fencingToken();
      }
    }
    world.releaseDepth++;
    try {
      api(
          n,
          "asLock().unlock('" + name + "')",
          3,
          () -> {
            n.registry.obtain(name).asLock().unlock();
            return null;
          });
    } catch (LockLostException lost) {
      world.trace(n + " unlock('" + name + "') threw LockLostException");
    } finally {
      world.releaseDepth--;
      if (left == 0 && token != 0) {
        checker.releaseFinished(token);
      }
    }
  }
}
