package dev.dimutex.spring.autoconfigure;

import dev.dimutex.spring.DistributedLockMode;
import dev.dimutex.spring.OnHeld;
import java.time.Duration;

/** Defaults of the {@code @DistributedLock} annotation. */
public class AnnotationProperties {

  /** Creates annotation defaults with the documented values. */
  public AnnotationProperties() {}

  /**
   * How long an annotated call waits for a lock held by someone else, when the annotation does not
   * say. Zero means a single attempt.
   */
  private Duration waitFor = Duration.ZERO;

  /**
   * What an annotated call does when the lock stays held, when the annotation does not say: FAIL
   * throws LockTimeoutException, SKIP does not run the method.
   */
  private OnHeld onHeld = OnHeld.FAIL;

  /**
   * How annotated methods are intercepted: PROXY (Spring AOP proxies; public methods called from
   * another bean) or ASPECTJ (the woven DistributedLockAspect; also self-invocations and non-public
   * methods).
   */
  private DistributedLockMode mode = DistributedLockMode.PROXY;

  /**
   * Returns the default wait.
   *
   * @return the default wait
   */
  public Duration getWaitFor() {
    return waitFor;
  }

  /**
   * Sets the default wait.
   *
   * @param waitFor the default wait
   */
  public void setWaitFor(Duration waitFor) {
    this.waitFor = waitFor;
  }

  /**
   * Returns the default policy when the lock stays held.
   *
   * @return the policy
   */
  public OnHeld getOnHeld() {
    return onHeld;
  }

  /**
   * Sets the default policy when the lock stays held.
   *
   * @param onHeld the policy
   */
  public void setOnHeld(OnHeld onHeld) {
    this.onHeld = onHeld;
  }

  /**
   * Returns how annotated methods are intercepted.
   *
   * @return the mode
   */
  public DistributedLockMode getMode() {
    return mode;
  }

  /**
   * Sets how annotated methods are intercepted.
   *
   * @param mode the mode
   */
  public void setMode(DistributedLockMode mode) {
    this.mode = mode;
  }
}
