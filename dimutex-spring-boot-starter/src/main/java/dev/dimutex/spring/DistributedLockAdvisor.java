package dev.dimutex.spring;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.aopalliance.aop.Advice;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.Ordered;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * The Spring AOP advisor that applies {@link DistributedLock}. Registered by the
 * auto-configuration; applications normally do not create it.
 *
 * <p>Its order is {@link #DEFAULT_ORDER}, ahead of the transaction advisor (which defaults to the
 * lowest precedence), so that the lock is taken before a transaction begins and released after it
 * ends. When the application has started, it checks every bean's annotated methods and fails the
 * start with {@link InvalidLockAnnotationException} if any cannot work (not public, invalid
 * durations or templates, {@link OnHeld#SKIP} on a method that must return a value).
 */
public final class DistributedLockAdvisor extends AbstractPointcutAdvisor
    implements BeanFactoryAware, SmartInitializingSingleton, SmartLifecycle, DisposableBean {

  private static final long serialVersionUID = 1L;

  /** The advisor's default order: {@code Ordered.HIGHEST_PRECEDENCE + 1000}. */
  public static final int DEFAULT_ORDER = Ordered.HIGHEST_PRECEDENCE + 1000;

  private final transient DistributedLockInterceptor interceptor;
  private final transient Pointcut pointcut = new AnnotatedPublicMethodPointcut();
  private transient @Nullable BeanFactory beanFactory;
  private transient volatile boolean running;

  /**
   * Creates the advisor. The registries and observers are looked up at the first locked call, so
   * that creating the advisor early (as auto-proxy creators do) does not create them early.
   *
   * @param registries the registries to take locks from
   * @param observers observers of locked calls (for metrics); may be empty
   * @param defaultWaitFor the wait used when an annotation does not set {@code waitFor}
   * @param defaultOnHeld the policy used when an annotation's {@code onHeld} is {@code DEFAULT}
   * @throws IllegalArgumentException if {@code defaultWaitFor} is negative or {@code defaultOnHeld}
   *     is {@link OnHeld#DEFAULT}
   */
  public DistributedLockAdvisor(
      ObjectProvider<LockRegistries> registries,
      ObjectProvider<DistributedLockObserver> observers,
      Duration defaultWaitFor,
      OnHeld defaultOnHeld) {
    if (defaultWaitFor.isNegative()) {
      throw new IllegalArgumentException(
          "defaultWaitFor must be zero or positive, was " + defaultWaitFor);
    }
    if (defaultOnHeld == OnHeld.DEFAULT) {
      throw new IllegalArgumentException("defaultOnHeld must be SKIP or FAIL");
    }
    this.interceptor =
        new DistributedLockInterceptor(
            registries::getObject, new CachedObserver(observers), defaultWaitFor, defaultOnHeld);
    setOrder(DEFAULT_ORDER);
  }

  @Override
  public Pointcut getPointcut() {
    return pointcut;
  }

  @Override
  public Advice getAdvice() {
    return interceptor;
  }

  @Override
  public void setBeanFactory(BeanFactory beanFactory) {
    this.beanFactory = beanFactory;
    if (beanFactory instanceof ConfigurableBeanFactory configurable) {
      interceptor.setBeanFactory(
          beanFactory,
          value -> {
            String resolved = configurable.resolveEmbeddedValue(value);
            return resolved == null ? value : resolved;
          });
    } else {
      interceptor.setBeanFactory(beanFactory, value -> value);
    }
  }

  /**
   * Checks every annotated method of every bean, and creates the registries for TTL overrides so
   * that a TTL the registry rejects fails the start.
   *
   * @throws InvalidLockAnnotationException naming each method whose annotation cannot work
   */
  @Override
  public void afterSingletonsInstantiated() {
    if (!(beanFactory instanceof ListableBeanFactory listable)) {
      return;
    }
    Set<Class<?>> seen = new LinkedHashSet<>();
    List<String> problems = new ArrayList<>();
    for (String beanName : listable.getBeanDefinitionNames()) {
      Class<?> type;
      try {
        type = listable.getType(beanName, false);
      } catch (RuntimeException e) {
        continue;
      }
      if (type == null || Proxy.isProxyClass(type)) {
        continue;
      }
      Class<?> userClass = ClassUtils.getUserClass(type);
      if (!seen.add(userClass) || userClass.getName().startsWith("org.springframework.")) {
        continue;
      }
      ReflectionUtils.doWithMethods(
          userClass,
          method -> {
            if (LockMethodSpec.findAnnotation(method) == null || method.isBridge()) {
              return;
            }
            try {
              interceptor.checkTtl(interceptor.spec(method, userClass));
            } catch (InvalidLockAnnotationException e) {
              problems.addAll(e.problems());
            }
          });
    }
    if (!problems.isEmpty()) {
      throw new InvalidLockAnnotationException(List.copyOf(new LinkedHashSet<>(problems)));
    }
  }

  /** Marks the advisor running; locks are taken whether or not it runs. */
  @Override
  public void start() {
    running = true;
  }

  /**
   * Releases at once the leases whose {@code holdAtLeast} release is still pending, while the
   * registries are still open; later calls release at once too.
   */
  @Override
  public void stop() {
    running = false;
    interceptor.close();
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /**
   * Returns phase 0: stopped after the web server and the task schedulers, before the registries
   * are closed.
   *
   * @return the lifecycle phase
   */
  @Override
  public int getPhase() {
    return 0;
  }

  /** Releases the leases whose {@code holdAtLeast} release is still pending, if any are left. */
  @Override
  public void destroy() {
    interceptor.close();
  }

  private static final class AnnotatedPublicMethodPointcut extends StaticMethodMatcherPointcut {
    @Override
    public boolean matches(Method method, Class<?> targetClass) {
      Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
      return Modifier.isPublic(specific.getModifiers())
          && LockMethodSpec.findAnnotation(specific) != null;
    }
  }

  private static final class CachedObserver
      implements java.util.function.Supplier<DistributedLockObserver> {
    private final ObjectProvider<DistributedLockObserver> observers;
    private volatile @Nullable DistributedLockObserver resolved;

    CachedObserver(ObjectProvider<DistributedLockObserver> observers) {
      this.observers = observers;
    }

    @Override
    public DistributedLockObserver get() {
      DistributedLockObserver observer = resolved;
      if (observer == null) {
        List<DistributedLockObserver> all = observers.orderedStream().toList();
        observer = all.size() == 1 ? all.get(0) : new CompositeLockObserver(all);
        resolved = observer;
      }
      return observer;
    }
  }
}
