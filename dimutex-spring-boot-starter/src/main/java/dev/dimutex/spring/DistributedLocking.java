package dev.dimutex.spring;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.Advisor;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.Ordered;

/**
 * The {@link DistributedLock} support of one application context: it parses the annotations, checks
 * them all when the application has started, takes the locks (through the proxy {@link #advisor()}
 * or, in {@link DistributedLockMode#ASPECTJ} mode, through {@link DistributedLockAspect}), and
 * releases the leases still held for {@code holdAtLeast} when the context stops. Registered by the
 * auto-configuration; define a bean of this type to replace it.
 */
public final class DistributedLocking
    implements BeanFactoryAware, SmartInitializingSingleton, SmartLifecycle, DisposableBean {

  /**
   * The proxy advisor's order: {@code Ordered.HIGHEST_PRECEDENCE + 1000}, ahead of the transaction
   * advisor (which defaults to the lowest precedence).
   */
  public static final int DEFAULT_ORDER = Ordered.HIGHEST_PRECEDENCE + 1000;

  private final DistributedLockMode mode;
  private final LockMethods methods;
  private final LockedCalls calls;
  private final Advisor advisor;
  private @Nullable BeanFactory beanFactory;
  private volatile boolean running;

  /**
   * Creates the support. The registries and observers are looked up at the first locked call, so
   * that creating this bean early (as auto-proxy creators do with advisors) does not create them
   * early.
   *
   * @param registries the registries to take locks from
   * @param observers observers of locked calls (for metrics); may be empty
   * @param defaultWaitFor the wait used when an annotation does not set {@code waitFor}
   * @param defaultOnHeld the policy used when an annotation's {@code onHeld} is {@code DEFAULT}
   * @param mode how annotated methods are intercepted
   * @throws IllegalArgumentException if {@code defaultWaitFor} is negative or {@code defaultOnHeld}
   *     is {@link OnHeld#DEFAULT}
   */
  public DistributedLocking(
      ObjectProvider<LockRegistries> registries,
      ObjectProvider<DistributedLockObserver> observers,
      Duration defaultWaitFor,
      OnHeld defaultOnHeld,
      DistributedLockMode mode) {
    this.mode = mode;
    this.methods = new LockMethods(registries::getObject, defaultWaitFor, defaultOnHeld, mode);
    this.calls =
        new LockedCalls(
            methods, new LockOutcomes(new CachedObserver(observers)), DelayedReleases.system());
    this.advisor = new DistributedLockAdvisor(calls, DEFAULT_ORDER);
    if (mode == DistributedLockMode.ASPECTJ) {
      DistributedLockAspect.bind(calls);
    }
  }

  /**
   * Returns the interception mode.
   *
   * @return the mode
   */
  public DistributedLockMode mode() {
    return mode;
  }

  /**
   * Returns the Spring AOP advisor that applies the annotation through proxies; the
   * auto-configuration registers it in {@link DistributedLockMode#PROXY} mode only.
   *
   * @return the advisor, ordered {@link #DEFAULT_ORDER}
   */
  public Advisor advisor() {
    return advisor;
  }

  @Override
  public void setBeanFactory(BeanFactory beanFactory) {
    this.beanFactory = beanFactory;
    if (beanFactory instanceof ConfigurableBeanFactory configurable) {
      methods.setBeanFactory(
          beanFactory,
          value -> {
            String resolved = configurable.resolveEmbeddedValue(value);
            return resolved == null ? value : resolved;
          });
    } else {
      methods.setBeanFactory(beanFactory, value -> value);
    }
  }

  /**
   * Checks every annotated method of every bean, creates the registries for TTL overrides so that a
   * TTL the registry rejects fails the start, and checks names without expressions. In {@link
   * DistributedLockMode#ASPECTJ} mode, also checks that the aspect has been woven.
   *
   * @throws InvalidLockAnnotationException naming each method whose annotation cannot work
   */
  @Override
  public void afterSingletonsInstantiated() {
    if (mode == DistributedLockMode.ASPECTJ && !DistributedLockAspect.isWoven()) {
      throw new InvalidLockAnnotationException(
          List.of(
              "dimutex.annotation.mode is ASPECTJ but "
                  + DistributedLockAspect.class.getName()
                  + " has not been woven, so no @DistributedLock method would be locked. Start"
                  + " the JVM with -javaagent:aspectjweaver.jar (the starter ships"
                  + " META-INF/aop.xml), or weave at compile time with the starter as an aspect"
                  + " library; or use mode PROXY."));
    }
    if (beanFactory instanceof ListableBeanFactory listable) {
      new LockMethodValidator(methods).validate(listable);
    }
  }

  /** Marks the support running; locks are taken whether or not it runs. */
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
    calls.close();
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

  /**
   * Releases the leases whose {@code holdAtLeast} release is still pending, if any are left, and
   * unbinds the aspect.
   */
  @Override
  public void destroy() {
    calls.close();
    if (mode == DistributedLockMode.ASPECTJ) {
      DistributedLockAspect.unbind(calls);
    }
  }

  private static final class CachedObserver implements Supplier<DistributedLockObserver> {
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
