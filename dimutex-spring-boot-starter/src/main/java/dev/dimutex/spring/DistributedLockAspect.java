package dev.dimutex.spring;

import java.lang.reflect.Method;
import java.util.Arrays;
import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.annotation.Around;
import org.aspectj.lang.annotation.Aspect;
import org.aspectj.lang.reflect.MethodSignature;
import org.jspecify.annotations.Nullable;

/**
 * The AspectJ aspect for {@link DistributedLockMode#ASPECTJ}: it locks every execution of a method
 * annotated with {@link DistributedLock}, directly or through one level of meta-annotation,
 * including calls a bean makes to itself and non-public methods. Weave it at load time with {@code
 * -javaagent:aspectjweaver.jar} (the starter's {@code META-INF/aop.xml} declares it), or at compile
 * time.
 *
 * <p>AspectJ creates one instance per class loader; the application context running with {@code
 * dimutex.annotation.mode=aspectj} binds it to its lock support when that is created and unbinds it
 * when it closes. Until then, and in {@link DistributedLockMode#PROXY} mode, the woven advice runs
 * the method without locking (proxies lock in that mode). Unlike the proxy, AspectJ matches only
 * annotations on the executed method itself, not on the interface it implements.
 */
@Aspect
public class DistributedLockAspect {

  private static volatile @Nullable LockedCalls bound;

  /** Creates the aspect; AspectJ does this. */
  public DistributedLockAspect() {}

  static void bind(LockedCalls calls) {
    bound = calls;
  }

  static void unbind(LockedCalls calls) {
    if (bound == calls) {
      bound = null;
    }
  }

  /** Whether this class has been woven as an aspect (it then has AspectJ's {@code aspectOf}). */
  static boolean isWoven() {
    return Arrays.stream(DistributedLockAspect.class.getMethods())
        .anyMatch(method -> method.getName().equals("aspectOf"));
  }

  /**
   * Runs an annotated method under its lock.
   *
   * @param joinPoint the method execution
   * @return what the method returned (for {@code Mono}, {@code Flux} and {@code CompletionStage}, a
   *     publisher or stage that holds the lock until it terminates)
   * @throws Throwable what the method threw, or a {@link dev.dimutex.LockException} when the lock
   *     could not be acquired
   */
  @Around(
      "execution(@dev.dimutex.spring.DistributedLock * *(..))"
          + " || execution(@(@dev.dimutex.spring.DistributedLock *) * *(..))")
  public @Nullable Object lock(ProceedingJoinPoint joinPoint) throws Throwable {
    LockedCalls calls = bound;
    if (calls == null) {
      return joinPoint.proceed();
    }
    return calls.run(new JoinPointCall(joinPoint));
  }

  /** A join point as a {@link LockedCall}; AspectJ lets a join point proceed more than once. */
  private record JoinPointCall(ProceedingJoinPoint joinPoint) implements LockedCall {

    @Override
    public Method method() {
      return ((MethodSignature) joinPoint.getSignature()).getMethod();
    }

    @Override
    public Class<?> targetClass() {
      Object target = joinPoint.getTarget();
      return target != null ? target.getClass() : method().getDeclaringClass();
    }

    @Override
    public @Nullable Object[] arguments() {
      return joinPoint.getArgs();
    }

    @Override
    public @Nullable Object proceed() throws Throwable {
      return joinPoint.proceed();
    }

    @Override
    public LockedCall again() {
      return this;
    }
  }
}
