package dev.dimutex.spring.autoconfigure;

/** Actuator settings. */
public class ActuatorProperties {

  /** Creates actuator settings with the documented defaults. */
  public ActuatorProperties() {}

  /**
   * Whether the locks actuator endpoint offers the write operation that force-releases a lock by
   * name, whoever holds it. An operator action: the holder's protected work may still be running.
   */
  private boolean forceReleaseEnabled = false;

  /**
   * Returns whether force-release is offered.
   *
   * @return whether force-release is enabled
   */
  public boolean isForceReleaseEnabled() {
    return forceReleaseEnabled;
  }

  /**
   * Sets whether force-release is offered.
   *
   * @param forceReleaseEnabled whether force-release is enabled
   */
  public void setForceReleaseEnabled(boolean forceReleaseEnabled) {
    this.forceReleaseEnabled = forceReleaseEnabled;
  }
}
