package dev.dimutex.chaos;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Checks a chaos run's history. Pure: no I/O, no clock; every input is in {@link ChaosHistory}.
 *
 * <p>The properties:
 *
 * <ol>
 *   <li><b>Mutual exclusion.</b> Two critical sections may overlap only if the earlier holder's
 *       lease had expired before the later one entered, and its increment was not applied (the
 *       generation precondition rejected it). A lease is healthy until the send time of the last
 *       write the store confirmed plus TTL − TTL/10 (the library's documented deadline); the
 *       checker bounds that send time from above by the later of the section's entry and the
 *       arrival at the emulator of the last refresh it applied for that lease, so the expiry it
 *       uses is never earlier than the real one. Its lease must also not have claimed to be healthy
 *       after that expiry: a health check before the expiry followed by a pause and a late write is
 *       legal (no lease can prevent it; fencing does), a check that says "healthy" after it is not.
 *   <li><b>Counter.</b> The final counter equals the number of applied increments, and no two
 *       applied increments read the same value. An increment counts as applied if its worker saw it
 *       confirmed, or if a later section (or the final read) found its nonce in the counter: that
 *       resolves writes whose worker was killed or whose response was lost.
 *   <li><b>Recovery.</b> After a crash or freeze of the holder, another lease entered within the
 *       bound.
 *   <li><b>No spinning.</b> Each worker stayed within the request budget.
 * </ol>
 */
public final class HistoryChecker {

  private HistoryChecker() {}

  /**
   * Checks a history.
   *
   * @param history the run's history
   * @param limits the bounds to enforce
   * @return the violations and figures
   */
  public static CheckResult check(ChaosHistory history, CheckLimits limits) {
    List<Violation> violations = new ArrayList<>();
    Set<String> observedNonces = new HashSet<>();
    for (Section s : history.sections()) {
      if (s.readWriter() != null) {
        observedNonces.add(s.readWriter());
      }
    }
    if (history.finalWriter() != null) {
      observedNonces.add(history.finalWriter());
    }

    List<Section> accepted = new ArrayList<>();
    for (Section s : history.sections()) {
      boolean seen = observedNonces.contains(s.nonce());
      if (seen || s.outcome() == WriteOutcome.ACCEPTED) {
        accepted.add(s);
      }
      if (s.outcome() == WriteOutcome.ACCEPTED && !seen) {
        violations.add(
            new Violation(
                Violation.Kind.LOST_UPDATE,
                "increment "
                    + s.nonce()
                    + " (token "
                    + s.token()
                    + ") was confirmed to its worker but no later read saw it: it was overwritten"));
      }
    }
    checkCounter(history, accepted, violations);
    int legalOverlaps = checkOverlaps(history, limits, observedNonces, violations);
    List<Long> recoveries = checkRecoveries(history, limits, violations);
    checkRequestRates(history, limits, violations);
    for (String exit : history.unexpectedExits()) {
      violations.add(new Violation(Violation.Kind.WORKER_FAILED, exit));
    }
    return new CheckResult(
        violations, history.sections().size(), accepted.size(), legalOverlaps, recoveries);
  }

  private static void checkCounter(
      ChaosHistory history, List<Section> accepted, List<Violation> violations) {
    if (history.finalCount() != accepted.size()) {
      violations.add(
          new Violation(
              Violation.Kind.COUNTER_MISMATCH,
              "final counter is "
                  + history.finalCount()
                  + " but "
                  + accepted.size()
                  + " increments were applied"));
    }
    Map<Long, Section> byReadValue = new HashMap<>();
    for (Section s : accepted) {
      if (s.readCount() < 0) {
        continue;
      }
      Section other = byReadValue.putIfAbsent(s.readCount(), s);
      if (other != null) {
        violations.add(
            new Violation(
                Violation.Kind.LOST_UPDATE,
                "increments "
                    + other.nonce()
                    + " and "
                    + s.nonce()
                    + " both read "
                    + s.readCount()
                    + " and both were applied"));
      }
    }
  }

  private static int checkOverlaps(
      ChaosHistory history,
      CheckLimits limits,
      Set<String> observedNonces,
      List<Violation> violations) {
    List<Section> sorted = new ArrayList<>(history.sections());
    sorted.sort(Comparator.comparingLong(Section::enterNanos));
    int legal = 0;
    for (int i = 0; i < sorted.size(); i++) {
      Section earlier = sorted.get(i);
      for (int j = i + 1; j < sorted.size(); j++) {
        Section later = sorted.get(j);
        if (later.enterNanos() >= earlier.exitNanos()) {
          // Sorted by entry, so every later section also enters after `earlier` left.
          break;
        }
        String why = illegalBecause(history, limits, observedNonces, earlier, later);
        if (why == null) {
          legal++;
        } else {
          violations.add(
              new Violation(
                  Violation.Kind.OVERLAP,
                  describe(earlier)
                      + " overlaps "
                      + describe(later)
                      + " by "
                      + millis(earlier.exitNanos() - later.enterNanos())
                      + ": "
                      + why));
        }
      }
    }
    return legal;
  }

  private static @Nullable String illegalBecause(
      ChaosHistory history,
      CheckLimits limits,
      Set<String> observedNonces,
      Section earlier,
      Section later) {
    if (earlier.outcome() == WriteOutcome.ACCEPTED || observedNonces.contains(earlier.nonce())) {
      return "the earlier holder's increment was applied";
    }
    long lastConfirmed =
        Math.max(
            earlier.enterNanos(),
            history.lastConfirmedRefreshNanos().getOrDefault(earlier.token(), Long.MIN_VALUE));
    long expiry = lastConfirmed + healthyForNanos(limits);
    if (earlier.completed()
        && earlier.outcome() != WriteOutcome.NOT_ATTEMPTED
        && earlier.healthyBeforeWrite()
        && earlier.healthCheckNanos() >= expiry) {
      return "the earlier holder's lease still said healthy "
          + millis(earlier.healthCheckNanos() - expiry)
          + " after it had expired (last confirmed write + TTL - TTL/10)";
    }
    if (later.enterNanos() < expiry) {
      return "the later holder entered "
          + millis(expiry - later.enterNanos())
          + " before the earlier lease expired (last confirmed write + TTL - TTL/10)";
    }
    return null;
  }

  /**
   * How long a lease stays healthy after the send of its last confirmed write: TTL − TTL/10, the
   * deadline that dimutex-core documents (a tenth of the TTL absorbs clock-rate differences).
   */
  static long healthyForNanos(CheckLimits limits) {
    return limits.ttlNanos() - limits.ttlNanos() / 10;
  }

  private static List<Long> checkRecoveries(
      ChaosHistory history, CheckLimits limits, List<Violation> violations) {
    List<Long> recoveries = new ArrayList<>();
    for (FaultEvent fault : history.faults()) {
      if ((fault.kind() != FaultKind.CRASH && fault.kind() != FaultKind.FREEZE)
          || fault.heldToken() == null) {
        continue;
      }
      long token = fault.heldToken();
      long next = Long.MAX_VALUE;
      for (Section s : history.sections()) {
        if (s.token() != token && s.enterNanos() >= fault.atNanos() && s.enterNanos() < next) {
          next = s.enterNanos();
        }
      }
      if (next == Long.MAX_VALUE) {
        long observed = history.runEndNanos() - fault.atNanos();
        if (observed > limits.recoveryBoundNanos()) {
          violations.add(
              slowRecovery(
                  fault, token, "no other holder in the remaining " + millis(observed), limits));
        }
        continue;
      }
      long recovery = next - fault.atNanos();
      recoveries.add(recovery);
      if (recovery > limits.recoveryBoundNanos()) {
        violations.add(slowRecovery(fault, token, "next holder after " + millis(recovery), limits));
      }
    }
    return recoveries;
  }

  private static Violation slowRecovery(
      FaultEvent fault, long token, String what, CheckLimits limits) {
    return new Violation(
        Violation.Kind.SLOW_RECOVERY,
        fault.kind()
            + " of "
            + fault.worker()
            + " holding token "
            + token
            + ": "
            + what
            + " (bound "
            + millis(limits.recoveryBoundNanos())
            + ")");
  }

  private static void checkRequestRates(
      ChaosHistory history, CheckLimits limits, List<Violation> violations) {
    for (WorkerRequests w : history.workerRequests()) {
      if (w.perSecond() > limits.maxRequestsPerSecond()) {
        violations.add(
            new Violation(
                Violation.Kind.SPIN,
                String.format(
                    java.util.Locale.ROOT,
                    "%s sent %.1f requests/s on average (budget %.1f)",
                    w.worker(),
                    w.perSecond(),
                    limits.maxRequestsPerSecond())));
      }
      if (w.peakPerWindow() > limits.maxRequestsPerWindow()) {
        violations.add(
            new Violation(
                Violation.Kind.SPIN,
                w.worker()
                    + " sent "
                    + w.peakPerWindow()
                    + " requests within "
                    + millis(limits.rateWindowNanos())
                    + " (budget "
                    + limits.maxRequestsPerWindow()
                    + ")"));
      }
    }
  }

  private static String describe(Section s) {
    return s.worker() + "#" + s.seq() + " (token " + s.token() + ")";
  }

  static String millis(long nanos) {
    return (nanos / 1_000_000) + " ms";
  }
}
