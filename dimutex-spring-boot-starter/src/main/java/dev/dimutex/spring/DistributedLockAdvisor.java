package dev.dimutex.spring;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import org.aopalliance.aop.Advice;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.StaticMethodMatcherPointcut;

/**
 * The Spring AOP advisor that applies {@link DistributedLock} through proxies, created by {@link
 * DistributedLocking#advisor()}. Its order is {@link DistributedLocking#DEFAULT_ORDER}, ahead of
 * the transaction advisor, so that the lock is taken before a transaction begins and released after
 * it ends.
 */
final class DistributedLockAdvisor extends AbstractPointcutAdvisor {

  private static final long serialVersionUID = 1L;

  private final transient DistributedLockInterceptor interceptor;
  private final transient Pointcut pointcut = new AnnotatedPublicMethodPointcut();

  DistributedLockAdvisor(LockedCalls calls, int order) {
    this.interceptor = new DistributedLockInterceptor(calls);
    setOrder(order);
  }

  @Override
  public Pointcut getPointcut() {
    return pointcut;
  }

  @Override
  public Advice getAdvice() {
    return interceptor;
  }

  private static final class AnnotatedPublicMethodPointcut extends StaticMethodMatcherPointcut {
    @Override
    public boolean matches(Method method, Class<?> targetClass) {
      Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
      return Modifier.isPublic(specific.getModifiers())
          && LockMethodSpec.findAnnotation(specific) != null;
    }
  }
}
