package dev.dimutex.spring.actuate;

import dev.dimutex.Lease;
import dev.dimutex.LockListener;
import dev.dimutex.LockLostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The leases this instance lost recently, for the health contributor. The registry frees a lost
 * lease's lock at once, so {@link dev.dimutex.InspectableLockRegistry#heldLeases()} no longer lists
 * it, although its holder's work may still be running; this listener keeps the loss in view.
 *
 * <p>A loss ({@link LockListener#onLost}) is reported until this instance acquires the same lock
 * again, or until the retention has passed since the loss, whichever comes first. The registry does
 * not tell listeners when the holder of a lost lease gives it up, so the retention bounds how long
 * one loss keeps the health {@code DOWN}. Thread-safe.
 */
public final class LostLeases implements LockListener {

  /**
   * One lost lease.
   *
   * @param name the lock name
   * @param fencingToken the lost lease's fencing token
   * @param heldSince when the lease was acquired
   * @param lostAt when this instance learnt of the loss
   * @param cause why the lease is considered lost
   */
  public record Lost(
      String name, long fencingToken, Instant heldSince, Instant lostAt, String cause) {}

  private final Clock clock;
  private final Duration retention;
  private final Map<String, Lost> lost = new LinkedHashMap<>();

  /**
   * Creates the listener.
   *
   * @param clock the clock that stamps losses
   * @param retention how long a loss is reported at most, positive (the starter passes the TTL)
   * @throws IllegalArgumentException if {@code retention} is not positive
   */
  public LostLeases(Clock clock, Duration retention) {
    if (retention.isNegative() || retention.isZero()) {
      throw new IllegalArgumentException("retention must be positive, was " + retention);
    }
    this.clock = clock;
    this.retention = retention;
  }

  @Override
  public synchronized void onLost(Lease lease, LockLostException cause) {
    String message = cause.getMessage();
    lost.put(
        lease.name(),
        new Lost(
            lease.name(),
            lease.fencingToken(),
            lease.acquiredAt(),
            clock.instant(),
            message != null ? message : cause.getClass().getName()));
  }

  @Override
  public synchronized void onAcquired(Lease lease, Duration waited) {
    lost.remove(lease.name());
  }

  /**
   * Returns the losses still reported.
   *
   * @return a snapshot, sorted by lock name
   */
  public synchronized List<Lost> recent() {
    Instant oldest = clock.instant().minus(retention);
    lost.values().removeIf(l -> l.lostAt().isBefore(oldest));
    List<Lost> out = new ArrayList<>(lost.values());
    out.sort(Comparator.comparing(Lost::name));
    return out;
  }
}
