package dev.dimutex.spring;

import java.lang.reflect.Method;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.aop.support.AopUtils;

/** Takes the lock around a {@link DistributedLock} method called through a Spring AOP proxy. */
final class DistributedLockInterceptor implements MethodInterceptor {

  private final LockedCalls calls;

  DistributedLockInterceptor(LockedCalls calls) {
    this.calls = calls;
  }

  @Override
  public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
    return calls.run(new InvocationCall(invocation));
  }

  /** A proxy invocation as a {@link LockedCall}. */
  private record InvocationCall(MethodInvocation invocation) implements LockedCall {

    @Override
    public Method method() {
      return invocation.getMethod();
    }

    @Override
    public Class<?> targetClass() {
      Object target = invocation.getThis();
      return target != null
          ? AopUtils.getTargetClass(target)
          : invocation.getMethod().getDeclaringClass();
    }

    @Override
    public @Nullable Object[] arguments() {
      return invocation.getArguments();
    }

    @Override
    public @Nullable Object proceed() throws Throwable {
      return invocation.proceed();
    }

    @Override
    public LockedCall again() {
      return invocation instanceof ProxyMethodInvocation proxied
          ? new InvocationCall(proxied.invocableClone())
          : this;
    }
  }
}
