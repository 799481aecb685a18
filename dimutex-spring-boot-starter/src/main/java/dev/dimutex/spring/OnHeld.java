package dev.dimutex.spring;

/** What a {@link DistributedLock} method does when the lock stays held by someone else. */
public enum OnHeld {

  /** Use the property {@code dimutex.annotation.on-held}, which defaults to {@link #FAIL}. */
  DEFAULT,

  /**
   * Do not run the method. It returns nothing ({@code void}), {@code Optional.empty()}, an empty
   * {@code Mono} or {@code Flux}, or {@code null}; allowed only on methods returning {@code void},
   * {@link java.util.Optional}, {@code Mono}, {@code Flux} or a reference type declared nullable
   * (for example JSpecify's {@code @Nullable}). Any other return type is rejected when the
   * application starts. When the store could not be reached, the skip is logged at WARN.
   */
  SKIP,

  /**
   * Throw {@link dev.dimutex.LockTimeoutException}, naming the lock and the method; or, when the
   * store could not be reached, {@link dev.dimutex.StoreUnavailableException}.
   */
  FAIL
}
