package dev.dimutex.simulation;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Runs many seeds and prints a summary: {@code --seeds N} (default 100), {@code --from S} (first
 * seed, default 1), {@code --profile full|today[+trigger]} (default full), {@code --trace
 * INVARIANT} (print the steps up to each seed's first violation of that invariant instead). Exits
 * with status 1 if any seed violated an invariant, after printing each failing seed's report and
 * replay command.
 */
public final class SimulationMain {

  private SimulationMain() {}

  /**
   * Runs the seeds given on the command line.
   *
   * @param args {@code --seeds N --from S --profile P}, each optional
   */
  public static void main(String[] args) {
    long seeds = 100;
    long from = 1;
    String profile = "full";
    @Nullable Invariant trace = null;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--seeds" -> seeds = Long.parseLong(args[i + 1]);
        case "--from" -> from = Long.parseLong(args[i + 1]);
        case "--profile" -> profile = args[i + 1];
        case "--trace" -> trace = Invariant.valueOf(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (trace != null) {
      for (long seed = from; seed < from + seeds; seed++) {
        List<String> t = Simulation.run(seed, Knobs.named(profile)).tracesByInvariant().get(trace);
        if (t != null) {
          System.out.println("seed " + seed + ", steps up to the first " + trace + ":");
          t.forEach(line -> System.out.println("  " + line));
        }
      }
      return;
    }
    Sweep s = Sweep.run(from, seeds, Knobs.named(profile), true);
    System.out.println(s.summary());
    if (!s.failures().isEmpty()) {
      System.exit(1);
    }
  }

  /** The outcome of many runs. */
  record Sweep(
      long from,
      long seeds,
      String profile,
      List<Simulation.Result> failures,
      java.util.Map<Invariant, List<Long>> seedsByInvariant,
      double lockHours,
      double simulatedHours,
      long steps,
      long millis) {

    static Sweep run(long from, long seeds, Knobs knobs, boolean printFailures) {
      long t0 = System.currentTimeMillis();
      List<Simulation.Result> failures = new ArrayList<>();
      java.util.Map<Invariant, List<Long>> seedsByInvariant = new java.util.TreeMap<>();
      double lockHours = 0;
      double simHours = 0;
      long steps = 0;
      for (long seed = from; seed < from + seeds; seed++) {
        Simulation.Result r = Simulation.run(seed, knobs);
        lockHours += r.lockHours();
        simHours += r.simulatedNanos() / 3.6e12;
        steps += r.steps();
        if (!r.ok()) {
          failures.add(r);
          if (printFailures) {
            System.out.println(r.report());
          }
          for (Invariant i : r.broken().keySet()) {
            seedsByInvariant.computeIfAbsent(i, k -> new ArrayList<>()).add(seed);
          }
        }
      }
      return new Sweep(
          from,
          seeds,
          knobs.profile(),
          failures,
          seedsByInvariant,
          lockHours,
          simHours,
          steps,
          System.currentTimeMillis() - t0);
    }

    String summary() {
      StringBuilder b = new StringBuilder();
      seedsByInvariant.forEach(
          (i, s) ->
              b.append("\n  ")
                  .append(i)
                  .append(": ")
                  .append(s.size())
                  .append(" seed(s), first ")
                  .append(s.subList(0, Math.min(10, s.size()))));
      return headline() + b;
    }

    private String headline() {
      return String.format(
          "simulation: %d seeds from %d, profile %s: %d failing seed(s); %.2f simulated"
              + " lock-hours, %.2f simulated hours, %d steps, %.1f s wall",
          seeds, from, profile, failures.size(), lockHours, simulatedHours, steps, millis / 1000.0);
    }
  }
}
