package dev.dimutex.spring;

/**
 * How {@link DistributedLock} methods are intercepted, as Spring's {@code AdviceMode}: set with the
 * property {@code dimutex.annotation.mode}.
 */
public enum DistributedLockMode {

  /**
   * Through Spring AOP proxies (the default): only public methods called from another bean are
   * locked; a call from the bean to itself ({@code this.run()}) bypasses the proxy and the lock.
   */
  PROXY,

  /**
   * Through {@link DistributedLockAspect}, woven into the application's classes at compile time or
   * at load time ({@code -javaagent:aspectjweaver.jar}, with the {@code META-INF/aop.xml} that the
   * starter ships): self-invocations and non-public methods are locked too. No proxy advisor is
   * registered, and the start fails if the aspect has not been woven.
   */
  ASPECTJ
}
