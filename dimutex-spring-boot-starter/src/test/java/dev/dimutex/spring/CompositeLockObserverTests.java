package dev.dimutex.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompositeLockObserverTests {

  private final List<String> events = new ArrayList<>();

  private final DistributedLockObserver failing =
      new DistributedLockObserver() {
        @Override
        public void acquired(String nameTemplate, Duration waited) {
          throw new IllegalStateException("observer bug");
        }

        @Override
        public HoldTimer holdStarted(String nameTemplate) {
          throw new IllegalStateException("observer bug");
        }

        @Override
        public Wait acquiring(String nameTemplate) {
          return new Wait() {
            @Override
            public void failed(Throwable error) {
              throw new IllegalStateException("observer bug");
            }
          };
        }
      };

  private final DistributedLockObserver recording =
      new DistributedLockObserver() {
        @Override
        public void acquired(String nameTemplate, Duration waited) {
          events.add("acquired " + nameTemplate);
        }

        @Override
        public HoldTimer holdStarted(String nameTemplate) {
          events.add("hold started " + nameTemplate);
          return () -> events.add("hold stopped " + nameTemplate);
        }

        @Override
        public Wait acquiring(String nameTemplate) {
          events.add("acquiring " + nameTemplate);
          return new Wait() {
            @Override
            public void failed(Throwable error) {
              events.add("wait failed " + error.getMessage());
            }
          };
        }
      };

  @Test
  void anObserverThatThrowsDoesNotKeepTheOthersFromHearingTheEvent() {
    DistributedLockObserver composite = new CompositeLockObserver(List.of(failing, recording));

    composite.acquired("order-#{#id}", Duration.ofMillis(3));

    assertThat(events).containsExactly("acquired order-#{#id}");
  }

  @Test
  void eachObserversWaitIsEndedWhenAnotherObserversWaitThrows() {
    DistributedLockObserver failingToStart =
        new DistributedLockObserver() {
          @Override
          public Wait acquiring(String nameTemplate) {
            throw new IllegalStateException("observer bug");
          }
        };
    DistributedLockObserver composite =
        new CompositeLockObserver(List.of(failingToStart, failing, recording));

    composite.acquiring("report").failed(new IllegalStateException("store bug"));

    assertThat(events).containsExactly("acquiring report", "wait failed store bug");
  }

  @Test
  void holdTimersOfTheOtherObserversAreStartedAndStoppedWhenOneFailsToStart() {
    DistributedLockObserver composite = new CompositeLockObserver(List.of(failing, recording));

    composite.holdStarted("report").stop();

    assertThat(events).containsExactly("hold started report", "hold stopped report");
  }

  @Test
  void aTimerThatThrowsOnStopDoesNotKeepTheOthersRunning() {
    DistributedLockObserver stopFails =
        new DistributedLockObserver() {
          @Override
          public HoldTimer holdStarted(String nameTemplate) {
            return () -> {
              throw new IllegalStateException("observer bug");
            };
          }
        };
    DistributedLockObserver composite = new CompositeLockObserver(List.of(stopFails, recording));

    composite.holdStarted("report").stop();

    assertThat(events).containsExactly("hold started report", "hold stopped report");
  }
}
