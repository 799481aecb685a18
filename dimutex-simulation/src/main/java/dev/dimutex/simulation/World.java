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

  /** With {@code -Dsim.echo=true} every step is printed as it happens (for one seed at a time). */
  private static final boolean ECHO = Boolean.getBoolean("sim.echo");

  final long seed;
  final Knobs knobs;
  final Random rnd;
  final StoreModel store;
  final List<Node> nodes = new ArrayList<>();
  final java.util.Set<Breakage> breakages;
  final List<String> violations = new ArrayList<>();
  final java.util.EnumMap<Invariant, Integer> broken = new java.util.EnumMap<>(Invariant.class);
  private final PriorityQueue<Event> queue = new PriorityQueue<>();
  private final PriorityQueue<Event> lateApplies = new PriorityQueue<>();
  private final Deque<String> trace = new ArrayDeque<>();
  private @Nullable List<String> firstViolationTrace;
  final java.util.Map<Invariant, List<String>> tracesByInvariant =
      new java.util.EnumMap<>(Invariant.class);
  private long now;
  private long seq;
  private long steps;
  private long longestStep;

  /** How deep the simulation thread is inside {@code release()} calls right now. */
  int releaseDepth;

  /** How deep the simulation thread is inside dependent actions of acquisition futures. */
  int callbackDepth;

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

  /**
   * Queues a request that the store applies at a later true time: at the first store call that
   * reaches the store from then on (so it can land between two requests of one registry call), or
   * by its own event if none comes.
   */
  void applyLater(long trueAt, Runnable apply) {
    Event e = new Event(trueAt, seq++, null, "late apply", apply);
    lateApplies.add(e);
    queue.add(new Event(trueAt, seq++, null, "late apply", () -> applyDue()));
  }

  /**
   * Applies the delayed requests that are due by now, in their order.
   *
   * @return how many were applied
   */
  int applyDue() {
    int n = 0;
    for (; !lateApplies.isEmpty() && lateApplies.peek().at() <= now; n++) {
      lateApplies.poll().action().run();
    }
    return n;
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
    boolean first = !broken.containsKey(which);
    broken.merge(which, 1, Integer::sum);
    String line = String.format("%.3fs: %s: %s", now / 1e9, which, what);
    if ((first || violations.size() < 20) && !violations.contains(line)) {
      violations.add(line);
    }
    trace("VIOLATION " + which + ": " + what);
    if (firstViolationTrace == null) {
      firstViolationTrace = List.copyOf(trace);
    }
    tracesByInvariant.putIfAbsent(which, List.copyOf(trace));
  }

  boolean broken(Breakage b) {
    return breakages.contains(b);
  }

  void trace(String line) {
    if (ECHO) {
      System.out.printf("%10.3fs  %s%n", now / 1e9, line);
    }
    if (trace.size() == TRACE_LINES) {
      trace.removeFirst();
    }
    trace.addLast(String.format("%10.3fs  %s", now / 1e9, line));
  }

  /** The steps up to the first violation, or the last steps if there was none. */
  List<String> traceLines() {
    return firstViolationTrace != null ? firstViolationTrace : List.copyOf(trace);
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
