package dev.dimutex.spring.actuate;

import dev.dimutex.spring.DistributedLockObserver;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer observations of {@code @DistributedLock} calls, so that a trace shows the wait for the
 * lock and the critical section as two spans:
 *
 * <ul>
 *   <li>{@value #WAIT} from the start of the acquisition to its outcome; low-cardinality keys
 *       {@code lock} (the annotation's name template, never a resolved name) and {@code outcome}
 *       ({@code acquired}, {@code timed_out}, {@code skipped}, {@code unavailable}, or {@code
 *       error} when acquiring threw); not for {@code Mono} and {@code Flux} methods, which acquire
 *       without blocking the calling thread;
 *   <li>{@value #HOLD} from the acquisition to the release; key {@code lock}.
 * </ul>
 *
 * <p>Both start as children of the observation current on the calling thread (for example the HTTP
 * request's). The hold observation is not opened in scope, so the method's own observations stay
 * children of the caller's: a method returning a {@code CompletionStage} releases on another
 * thread, where a scope opened on the calling thread could not be closed.
 *
 * <p>An acquisition is started and ended on the calling thread, as {@link DistributedLockObserver}
 * reports it; one whose acquiring threw is ended, with outcome {@code error}, when the next
 * acquisition starts on that thread.
 */
public final class LockObservations implements DistributedLockObserver {

  /** Name of the observation of the wait for a lock. */
  public static final String WAIT = "dimutex.lock.wait";

  /** Name of the observation of the critical section. */
  public static final String HOLD = "dimutex.lock.hold";

  private final ObservationRegistry registry;
  private final ThreadLocal<@Nullable Observation> waiting = new ThreadLocal<>();

  /**
   * Creates the observer.
   *
   * @param registry where observations are reported
   */
  public LockObservations(ObservationRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void acquiring(String nameTemplate) {
    end("error");
    Observation observation =
        Observation.createNotStarted(WAIT, registry)
            .contextualName("lock wait " + nameTemplate)
            .lowCardinalityKeyValue(KeyValue.of("lock", nameTemplate))
            .start();
    waiting.set(observation);
  }

  @Override
  public void acquired(String nameTemplate, Duration waited) {
    end("acquired");
  }

  @Override
  public void timedOut(String nameTemplate, Duration waited) {
    end("timed_out");
  }

  @Override
  public void skipped(String nameTemplate, Duration waited) {
    end("skipped");
  }

  @Override
  public void unavailable(String nameTemplate, Duration waited) {
    end("unavailable");
  }

  private void end(String outcome) {
    Observation observation = waiting.get();
    if (observation != null) {
      waiting.remove();
      observation.lowCardinalityKeyValue(KeyValue.of("outcome", outcome));
      if (outcome.equals("error")) {
        observation.error(new IllegalStateException("acquiring the lock ended with an exception"));
      }
      observation.stop();
    }
  }

  @Override
  public HoldTimer holdStarted(String nameTemplate) {
    Observation observation =
        Observation.createNotStarted(HOLD, registry)
            .contextualName("lock hold " + nameTemplate)
            .lowCardinalityKeyValue(KeyValue.of("lock", nameTemplate))
            .start();
    return observation::stop;
  }
}
