package dev.dimutex.spring;

import java.lang.reflect.Method;
import org.jspecify.annotations.Nullable;

/** One intercepted call of a {@link DistributedLock} method, from Spring AOP or from AspectJ. */
interface LockedCall {

  /** The annotated method, as declared by the target class. */
  Method method();

  /** The class of the target object. */
  Class<?> targetClass();

  /** The call's arguments. */
  @Nullable Object[] arguments();

  /**
   * Runs the method (and any advice after this one).
   *
   * @return what the method returned
   * @throws Throwable what the method threw
   */
  @Nullable Object proceed() throws Throwable;

  /**
   * Returns a call that can proceed once more, for a publisher subscribed more than once.
   *
   * @return a call that runs the method again with the same arguments
   */
  LockedCall again();
}
