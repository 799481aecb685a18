package dev.dimutex.simulation;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import org.jspecify.annotations.Nullable;

/**
 * True time, the one event queue of every registry's scheduled tasks and delayed store effects, the
 * seeded random source and the step trace. Everything runs on the calling thread, one event at a
 * time, so a run is a function of its seed.
 */
final class World {

  /** The store's clock reads this at true time zero. */
  static final Instant EPOCH = Instant.parse("2026-03-01T00:00:00Z");

  private static final int TRACE_LINES = 60;

  final long seed;
  final Knobs knobs;
  final Random rnd;
  final StoreModel store;
  final List<Node> nodes = new ArrayList<>();
  final java.util.Set<Breakage> breakages;
  final List<String> violations = new ArrayList<>();
  final java.util.EnumMap<Invariant, Integer> broken = new java.util.EnumMap<>(Invariant.class);
  private final PriorityQueue<Event> queue = new PriorityQueue<>();
  private final Deque<String> trace = new ArrayDeque<>();
  private long now;
  private long seq;
  private long steps;
  private long longestStep;

  /** How deep the simulation thread is inside {@code release()} calls right now. */
  int releaseDepth;

  World(long seed, Knobs knobs, java.util.Set<Breakage> breakages) {
    this.seed = seed;
    this.knobs = knobs;
    this.breakages = breakages;
    this.rnd = new Random(seed);
    this.store = new StoreModel(this);
  }

  /** One entry of the event queue, ordered by true time, then by insertion. */
  record Event(long at, long seq, @Nullable Node node, String label, Runnable action)
      implements Comparable<Event> {
    @Override
    public int compareTo(Event o) {
      int c = Long.compare(at, o.at);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  long now() {
    return now;
  }

  long steps() {
    return steps;
  }

  /** The most true time one step took (its store latencies and the pauses of its retries). */
  long longestStep() {
    return longestStep;
  }

  /** Moves true time forward: a store call's latency or a pause of the calling registry. */
  void advance(long trueNanos) {
    now += Math.max(0, trueNanos);
  }

  Instant serverTime() {
    return EPOCH.plusNanos(now);
  }

  /**
   * Queues an action at a true time. An event of a node runs only while the node is alive: it is
   * dropped once the node crashed and postponed while the node is frozen.
   */
  void at(long trueAt, @Nullable Node node, String label, Runnable action) {
    queue.add(new Event(trueAt, seq++, node, label, action));
  }

  /** Runs the next event due at or before {@code until}; false if there is none. */
  boolean step(long until) {
    Event e = queue.peek();
    if (e == null || e.at() > until) {
      return false;
    }
    queue.poll();
    Node n = e.node();
    if (n != null && n.isCrashed()) {
      return true;
    }
    if (n != null && n.frozenUntil() > Math.max(now, e.at())) {
      queue.add(new Event(n.frozenUntil(), seq++, n, e.label(), e.action()));
      return true;
    }
    now = Math.max(now, e.at());
    steps++;
    long before = now;
    e.action().run();
    longestStep = Math.max(longestStep, now - before);
    return true;
  }

  boolean idle() {
    return queue.isEmpty();
  }

  /** Records a broken invariant; the run goes on so that the trace shows what followed. */
  void violation(Invariant which, String what) {
    broken.merge(which, 1, Integer::sum);
    String line = String.format("%.3fs: %s: %s", now / 1e9, which, what);
    if (violations.size() < 20 && !violations.contains(line)) {
      violations.add(line);
    }
    trace("VIOLATION " + which + ": " + what);
  }

  boolean broken(Breakage b) {
    return breakages.contains(b);
  }

  void trace(String line) {
    if (trace.size() == TRACE_LINES) {
      trace.removeFirst();
    }
    trace.addLast(String.format("%10.3fs  %s", now / 1e9, line));
  }

  List<String> traceLines() {
    return List.copyOf(trace);
  }

  /** A delay in [0, max) nanoseconds. */
  long nextNanos(long max) {
    return max <= 0 ? 0 : (long) (rnd.nextDouble() * max);
  }

  boolean chance(double p) {
    return rnd.nextDouble() < p;
  }

  <T> T pick(List<T> items) {
    return items.get(rnd.nextInt(items.size()));
  }
}
