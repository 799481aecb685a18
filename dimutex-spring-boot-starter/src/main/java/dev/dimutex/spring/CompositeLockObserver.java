package dev.dimutex.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several observers behind one. Each delegate is called in isolation: one that throws is logged and
 * the others still hear the event, start and end their waits, and start and stop their hold timers.
 */
final class CompositeLockObserver implements DistributedLockObserver {

  private static final Logger log = LoggerFactory.getLogger(CompositeLockObserver.class);

  private final List<DistributedLockObserver> observers;

  CompositeLockObserver(List<DistributedLockObserver> observers) {
    this.observers = List.copyOf(observers);
  }

  @Override
  public Wait acquiring(String nameTemplate) {
    List<Wait> waits = new ArrayList<>(observers.size());
    each(o -> waits.add(o.acquiring(nameTemplate)));
    return new Wait() {
      @Override
      public void acquired() {
        waits.forEach(wait -> isolated(wait::acquired));
      }

      @Override
      public void timedOut() {
        waits.forEach(wait -> isolated(wait::timedOut));
      }

      @Override
      public void skipped() {
        waits.forEach(wait -> isolated(wait::skipped));
      }

      @Override
      public void unavailable() {
        waits.forEach(wait -> isolated(wait::unavailable));
      }

      @Override
      public void cancelled() {
        waits.forEach(wait -> isolated(wait::cancelled));
      }

      @Override
      public void failed(Throwable error) {
        waits.forEach(wait -> isolated(() -> wait.failed(error)));
      }
    };
  }

  @Override
  public void acquired(String nameTemplate, Duration waited) {
    each(o -> o.acquired(nameTemplate, waited));
  }

  @Override
  public void timedOut(String nameTemplate, Duration waited) {
    each(o -> o.timedOut(nameTemplate, waited));
  }

  @Override
  public void skipped(String nameTemplate, Duration waited) {
    each(o -> o.skipped(nameTemplate, waited));
  }

  @Override
  public void unavailable(String nameTemplate, Duration waited) {
    each(o -> o.unavailable(nameTemplate, waited));
  }

  @Override
  public HoldTimer holdStarted(String nameTemplate) {
    List<HoldTimer> timers = new ArrayList<>(observers.size());
    each(o -> timers.add(o.holdStarted(nameTemplate)));
    return () -> timers.forEach(timer -> isolated(timer::stop));
  }

  private void each(Consumer<DistributedLockObserver> call) {
    observers.forEach(o -> isolated(() -> call.accept(o)));
  }

  private static void isolated(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      log.warn("A DistributedLockObserver failed; the other observers were still called", e);
    }
  }
}
