package dev.dimutex.spring.actuate;

import dev.dimutex.Lease;
import dev.dimutex.LockListener;
import dev.dimutex.spring.DistributedLockObserver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import org.jspecify.annotations.Nullable;

/**
 * Whether the lock store answered the registry's recent calls, derived from the events the starter
 * already receives, so that a health probe makes no request of its own.
 *
 * <p>A call that reached the store: an acquisition ({@link LockListener#onAcquired}, {@link
 * DistributedLockObserver#acquired}), a release, a stale takeover, and an annotated call that found
 * the lock held ({@link DistributedLockObserver#timedOut}, {@link
 * DistributedLockObserver#skipped}); a lease's confirmed refresh counts too (the health indicator
 * passes the latest one in). A call that did not: a failed refresh ({@link
 * LockListener#onRefreshFailed}) and an annotated call that found the store unavailable ({@link
 * DistributedLockObserver#unavailable}). The core reports no other failed call to listeners, so a
 * programmatic acquisition that fails because the store is down is not seen here.
 *
 * <p>The store counts as unreachable while at least {@value #MIN_FAILURES} calls failed within the
 * window and none succeeded since the first of them.
 */
public final class StoreReachability implements LockListener, DistributedLockObserver {

  /** Failed calls needed, with no success since, before the store counts as unreachable. */
  public static final int MIN_FAILURES = 3;

  private static final int KEPT = 32;

  private record Outcome(Instant at, boolean reached) {}

  private final Clock clock;
  private final Duration window;
  private final Deque<Outcome> outcomes = new ArrayDeque<>();
  private @Nullable Instant lastSuccess;
  private @Nullable Instant lastFailure;
  private @Nullable String lastError;

  /**
   * Creates a tracker.
   *
   * @param clock the clock that stamps events
   * @param window how far back a call counts as recent
   */
  public StoreReachability(Clock clock, Duration window) {
    this.clock = clock;
    this.window = window;
  }

  /**
   * What the recent calls say.
   *
   * @param reachable false while every recent call failed (at least {@value #MIN_FAILURES}), true
   *     otherwise, including when there were no recent calls
   * @param recentCalls calls within the window
   * @param recentFailures failed calls within the window
   * @param lastSuccess the last call that reached the store, if any
   * @param lastFailure the last call that failed, if any
   * @param lastError the message of the last failure, if any
   */
  public record Snapshot(
      boolean reachable,
      int recentCalls,
      int recentFailures,
      @Nullable Instant lastSuccess,
      @Nullable Instant lastFailure,
      @Nullable String lastError) {}

  /**
   * Reads the recent calls.
   *
   * @param latestConfirmedRefresh the latest confirmed refresh of a held lease, if any: a call that
   *     reached the store, which the listener events do not report
   * @return the snapshot
   */
  public synchronized Snapshot snapshot(@Nullable Instant latestConfirmedRefresh) {
    Instant since = clock.instant().minus(window);
    int calls = 0;
    int failures = 0;
    Instant firstFailure = null;
    for (Outcome outcome : outcomes) {
      if (outcome.at().isBefore(since)) {
        continue;
      }
      calls++;
      if (!outcome.reached()) {
        failures++;
        if (firstFailure == null) {
          firstFailure = outcome.at();
        }
      }
    }
    Instant success = latest(lastSuccess, latestConfirmedRefresh);
    boolean unreachable =
        failures >= MIN_FAILURES
            && failures == calls
            && (success == null || success.isBefore(firstFailure));
    return new Snapshot(!unreachable, calls, failures, success, lastFailure, lastError);
  }

  private static @Nullable Instant latest(@Nullable Instant a, @Nullable Instant b) {
    if (a == null) {
      return b;
    }
    return b == null || a.isAfter(b) ? a : b;
  }

  private synchronized void record(boolean reached, @Nullable Throwable error) {
    Instant now = clock.instant();
    if (outcomes.size() == KEPT) {
      outcomes.removeFirst();
    }
    outcomes.addLast(new Outcome(now, reached));
    if (reached) {
      lastSuccess = now;
    } else {
      lastFailure = now;
      lastError =
          error == null
              ? "an annotated call found the lock store unavailable"
              : String.valueOf(error.getMessage());
    }
  }

  @Override
  public void onAcquired(Lease lease, Duration waited) {
    record(true, null);
  }

  @Override
  public void onReleased(Lease lease, Duration held) {
    record(true, null);
  }

  @Override
  public void onStaleTakeover(Lease lease, long previousFencingToken) {
    record(true, null);
  }

  @Override
  public void onRefreshFailed(Lease lease, Throwable cause) {
    record(false, cause);
  }

  @Override
  public void timedOut(String nameTemplate, Duration waited) {
    record(true, null);
  }

  @Override
  public void skipped(String nameTemplate, Duration waited) {
    record(true, null);
  }

  @Override
  public void unavailable(String nameTemplate, Duration waited) {
    record(false, null);
  }
}
