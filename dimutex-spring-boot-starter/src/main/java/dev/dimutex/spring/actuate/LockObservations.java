package dev.dimutex.spring.actuate;

import dev.dimutex.spring.DistributedLockObserver;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

/**
 * Micrometer observations of {@code @DistributedLock} calls, so that a trace shows the wait for the
 * lock and the critical section as two spans:
 *
 * <ul>
 *   <li>{@value #WAIT} from the start of the acquisition to its outcome; low-cardinality keys
 *       {@code lock} (the annotation's name template, never a resolved name) and {@code outcome}
 *       ({@code acquired}, {@code timed_out}, {@code skipped}, {@code unavailable}, {@code error}
 *       when acquiring threw, with the exception as the observation's error, or {@code cancelled}
 *       when a {@code Mono} or {@code Flux} method's subscription was cancelled while waiting);
 *   <li>{@value #HOLD} from the acquisition to the release; key {@code lock}.
 * </ul>
 *
 * <p>Both start as children of the observation current on the calling thread (for example the HTTP
 * request's). The hold observation is not opened in scope, so the method's own observations stay
 * children of the caller's: a method returning a {@code CompletionStage} releases on another
 * thread, where a scope opened on the calling thread could not be closed.
 *
 * <p>Each wait is ended as soon as its outcome is known, through the {@link
 * DistributedLockObserver.Wait} its acquisition returned: on the calling thread for blocking and
 * {@code CompletionStage} methods; for {@code Mono} and {@code Flux} methods it starts at
 * subscription (a child of the observation current there, if any) and ends on the thread that
 * completes the acquisition.
 */
public final class LockObservations implements DistributedLockObserver {

  /** Name of the observation of the wait for a lock. */
  public static final String WAIT = "dimutex.lock.wait";

  /** Name of the observation of the critical section. */
  public static final String HOLD = "dimutex.lock.hold";

  private final ObservationRegistry registry;

  /**
   * Creates the observer.
   *
   * @param registry where observations are reported
   */
  public LockObservations(ObservationRegistry registry) {
    this.registry = registry;
  }

  @Override
  public Wait acquiring(String nameTemplate) {
    Observation observation =
        Observation.createNotStarted(WAIT, registry)
            .contextualName("lock wait " + nameTemplate)
            .lowCardinalityKeyValue(KeyValue.of("lock", nameTemplate))
            .start();
    return new Wait() {
      @Override
      public void acquired() {
        end(observation, "acquired");
      }

      @Override
      public void timedOut() {
        end(observation, "timed_out");
      }

      @Override
      public void skipped() {
        end(observation, "skipped");
      }

      @Override
      public void unavailable() {
        end(observation, "unavailable");
      }

      @Override
      public void cancelled() {
        end(observation, "cancelled");
      }

      @Override
      public void failed(Throwable error) {
        observation.error(error);
        end(observation, "error");
      }
    };
  }

  private static void end(Observation observation, String outcome) {
    observation.lowCardinalityKeyValue(KeyValue.of("outcome", outcome));
    observation.stop();
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
