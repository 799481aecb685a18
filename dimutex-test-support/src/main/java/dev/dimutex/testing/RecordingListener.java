package dev.dimutex.testing;

import dev.dimutex.Lease;
import dev.dimutex.LockListener;
import dev.dimutex.LockLostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/** Records listener events with the monotonic time at which they happened. */
public final class RecordingListener implements LockListener {

  /**
   * One listener event.
   *
   * @param kind {@code acquired}, {@code released}, {@code refreshFailed}, {@code lost} or {@code
   *     takeover}
   * @param lock the lock name
   * @param token the lease's fencing token
   * @param atNanos the monotonic time at which it was received
   * @param detail the waited or held duration, the cause, or the previous token
   */
  public record Event(String kind, String lock, long token, long atNanos, String detail) {}

  /** The events received so far, in order. */
  public final List<Event> events = new CopyOnWriteArrayList<>();

  private final LongSupplier now;

  /**
   * Creates a listener that stamps each event with the given monotonic time.
   *
   * @param now the monotonic time source, in nanoseconds
   */
  public RecordingListener(LongSupplier now) {
    this.now = now;
  }

  /**
   * Returns the events of one kind, in order.
   *
   * @param kind the kind, such as {@code acquired}
   * @return the matching events
   */
  public List<Event> of(String kind) {
    return events.stream().filter(e -> e.kind().equals(kind)).toList();
  }

  @Override
  public void onAcquired(Lease lease, Duration waited) {
    events.add(
        new Event(
            "acquired", lease.name(), lease.fencingToken(), now.getAsLong(), waited.toString()));
  }

  @Override
  public void onReleased(Lease lease, Duration held) {
    events.add(
        new Event(
            "released", lease.name(), lease.fencingToken(), now.getAsLong(), held.toString()));
  }

  @Override
  public void onRefreshFailed(Lease lease, Throwable cause) {
    events.add(
        new Event(
            "refreshFailed",
            lease.name(),
            lease.fencingToken(),
            now.getAsLong(),
            String.valueOf(cause)));
  }

  @Override
  public void onLost(Lease lease, LockLostException cause) {
    events.add(
        new Event("lost", lease.name(), lease.fencingToken(), now.getAsLong(), cause.getMessage()));
  }

  @Override
  public void onStaleTakeover(Lease lease, long previousFencingToken) {
    events.add(
        new Event(
            "takeover",
            lease.name(),
            lease.fencingToken(),
            now.getAsLong(),
            Long.toString(previousFencingToken)));
  }
}
