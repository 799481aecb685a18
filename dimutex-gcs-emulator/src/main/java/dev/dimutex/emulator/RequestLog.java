package dev.dimutex.emulator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Every request a {@link GcsEmulator} handled, in order of completion, with counters. Thread-safe.
 *
 * <p>Requests to the admin API are not logged. The log keeps the most recent entries up to a
 * capacity (100,000 by default; older entries are evicted first); {@link #count(Operation)} counts
 * every request since the last {@link #clear()}, evicted or not.
 */
public final class RequestLog {
  private final Object lock = new Object();
  private final ArrayDeque<LoggedRequest> entries = new ArrayDeque<>();
  private final int capacity;
  private final Map<Operation, Long> byOperation = new EnumMap<>(Operation.class);
  private final Map<Integer, Long> byStatus = new TreeMap<>();
  private long total;
  private long faultsInjected;
  private long responsesDropped;
  private long sequence;

  RequestLog(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("log capacity must be >= 1, got " + capacity);
    }
    this.capacity = capacity;
  }

  /**
   * Returns a snapshot of the retained entries, oldest first.
   *
   * @return an immutable list
   */
  public List<LoggedRequest> entries() {
    synchronized (lock) {
      return List.copyOf(entries);
    }
  }

  /**
   * Counts the retained entries whose request the matcher selects.
   *
   * @param matcher the selection
   * @return the number of matching entries
   */
  public long count(RequestMatcher matcher) {
    Objects.requireNonNull(matcher, "matcher");
    synchronized (lock) {
      return entries.stream().filter(e -> matcher.matches(e.request())).count();
    }
  }

  /**
   * Counts the requests of one operation since the last {@link #clear()}.
   *
   * @param operation the operation
   * @return the number of such requests
   */
  public long count(Operation operation) {
    Objects.requireNonNull(operation, "operation");
    synchronized (lock) {
      return byOperation.getOrDefault(operation, 0L);
    }
  }

  /** Forgets every entry and resets the counters (sequence numbers keep increasing). */
  public void clear() {
    synchronized (lock) {
      entries.clear();
      byOperation.clear();
      byStatus.clear();
      total = 0;
      faultsInjected = 0;
      responsesDropped = 0;
    }
  }

  LoggedRequest add(
      RequestInfo request,
      int status,
      long startNanos,
      long durationNanos,
      boolean faultInjected,
      boolean responseDropped) {
    synchronized (lock) {
      LoggedRequest entry =
          new LoggedRequest(
              ++sequence,
              request,
              status,
              startNanos,
              durationNanos,
              faultInjected,
              responseDropped);
      if (entries.size() >= capacity) {
        entries.removeFirst();
      }
      entries.addLast(entry);
      byOperation.merge(entry.request().operation(), 1L, Long::sum);
      byStatus.merge(entry.status(), 1L, Long::sum);
      total++;
      if (entry.faultInjected()) {
        faultsInjected++;
      }
      if (entry.responseDropped()) {
        responsesDropped++;
      }
      return entry;
    }
  }

  /**
   * Marks a logged request as not answered: sending its response failed, so the client saw no
   * (complete) answer, as with a dropped response.
   */
  void markNotAnswered(LoggedRequest entry) {
    synchronized (lock) {
      if (entry.responseDropped()) {
        return;
      }
      LoggedRequest marked =
          new LoggedRequest(
              entry.sequence(),
              entry.request(),
              entry.status(),
              entry.startNanos(),
              entry.durationNanos(),
              entry.faultInjected(),
              true);
      java.util.List<LoggedRequest> all = new java.util.ArrayList<>(entries);
      int i = all.lastIndexOf(entry);
      if (i >= 0) {
        all.set(i, marked);
        entries.clear();
        entries.addAll(all);
      }
      responsesDropped++;
    }
  }

  /** Entries with a sequence greater than {@code after}, at most {@code limit}, oldest first. */
  List<LoggedRequest> entriesAfter(long after, int limit) {
    synchronized (lock) {
      List<LoggedRequest> out = new ArrayList<>();
      for (LoggedRequest e : entries) {
        if (e.sequence() > after) {
          out.add(e);
          if (out.size() >= limit) {
            break;
          }
        }
      }
      return out;
    }
  }

  /** The counters as a JSON-ready map. */
  Map<String, Object> counters() {
    synchronized (lock) {
      Map<String, Object> ops = new java.util.LinkedHashMap<>();
      byOperation.forEach((k, v) -> ops.put(k.name(), v));
      Map<String, Object> statuses = new java.util.LinkedHashMap<>();
      byStatus.forEach((k, v) -> statuses.put(Integer.toString(k), v));
      Map<String, Object> out = new java.util.LinkedHashMap<>();
      out.put("total", total);
      out.put("faultsInjected", faultsInjected);
      out.put("responsesDropped", responsesDropped);
      out.put("lastSequence", sequence);
      out.put("retained", (long) entries.size());
      out.put("byOperation", ops);
      out.put("byStatus", statuses);
      return out;
    }
  }
}
