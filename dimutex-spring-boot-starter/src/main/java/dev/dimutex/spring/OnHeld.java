package dev.dimutex.spring;

/** What a {@link DistributedLock} method does when the lock stays held by someone else. */
public enum OnHeld {

  /** Use the property {@code dimutex.annotation.on-held}, which defaults to {@link #FAIL}. */
  DEFAULT,

  /**
   * Do not run the method. It returns nothing ({@code void}), {@code Optional.empty()} or {@code
   * null}; allowed only on methods returning {@code void}, {@link java.util.Optional} or a
   * reference type declared nullable (for example JSpecify's {@code @Nullable}). Any other return
   * type is rejected when the application starts.
   */
  SKIP,

  /** Throw {@link dev.dimutex.LockTimeoutException}, naming the lock and the method. */
  FAIL
}
