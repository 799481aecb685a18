package dev.dimutex.spring;

import dev.dimutex.InvalidLockNameException;
import dev.dimutex.LockRegistry;
import dev.dimutex.Mutex;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.core.MethodClassKey;
import org.springframework.expression.EvaluationException;

/**
 * The annotated methods' parsed settings (one parse per method and target class), and the mutex
 * that one call locks.
 */
final class LockMethods {

  private final Supplier<LockRegistries> registries;
  private final Duration defaultWaitFor;
  private final OnHeld defaultOnHeld;
  private final DistributedLockMode mode;
  private final Map<MethodClassKey, LockMethodSpec> specs = new ConcurrentHashMap<>();
  private volatile @Nullable BeanFactory beanFactory;
  private volatile UnaryOperator<String> placeholders = UnaryOperator.identity();

  LockMethods(
      Supplier<LockRegistries> registries,
      Duration defaultWaitFor,
      OnHeld defaultOnHeld,
      DistributedLockMode mode) {
    if (defaultWaitFor.isNegative()) {
      throw new IllegalArgumentException(
          "defaultWaitFor must be zero or positive, was " + defaultWaitFor);
    }
    if (defaultOnHeld == OnHeld.DEFAULT) {
      throw new IllegalArgumentException("defaultOnHeld must be SKIP or FAIL");
    }
    this.registries = registries;
    this.defaultWaitFor = defaultWaitFor;
    this.defaultOnHeld = defaultOnHeld;
    this.mode = mode;
  }

  /** Gives templates their bean references and placeholders; call before the first lock. */
  void setBeanFactory(BeanFactory beanFactory, UnaryOperator<String> placeholders) {
    this.beanFactory = beanFactory;
    this.placeholders = placeholders;
  }

  /**
   * Returns the settings of an annotated method.
   *
   * @throws InvalidLockAnnotationException if the annotation cannot work
   */
  LockMethodSpec spec(Method method, Class<?> targetClass) {
    return specs.computeIfAbsent(
        new MethodClassKey(method, targetClass),
        key -> {
          Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
          DistributedLock annotation = LockMethodSpec.findAnnotation(specific);
          if (annotation == null) {
            throw new IllegalStateException(
                "No @DistributedLock on " + LockMethodSpec.describe(specific));
          }
          return LockMethodSpec.parse(
              specific, annotation, placeholders, defaultWaitFor, defaultOnHeld, mode);
        });
  }

  /**
   * Checks at start what can be checked before a call: the TTL override (by creating its registry
   * now) and, for a name without expressions, that the name is a valid lock name.
   *
   * @throws InvalidLockAnnotationException naming the method and the problem
   */
  void checkAtStart(LockMethodSpec spec) {
    Duration ttl = spec.ttl;
    if (ttl != null) {
      try {
        registries.get().registry(ttl);
      } catch (RuntimeException e) {
        throw new InvalidLockAnnotationException(
            List.of(spec.description + ": ttl " + ttl + " is not accepted: " + e.getMessage()));
      }
    }
    if (spec.name.isConstant()) {
      try {
        mutex(spec, spec.name.text());
      } catch (InvalidLockNameException e) {
        throw new InvalidLockAnnotationException(List.of(e.getMessage()));
      }
    }
  }

  /**
   * Resolves the lock name of one call.
   *
   * @throws dev.dimutex.LockException naming the template and the method, if evaluation fails
   */
  String resolveName(LockMethodSpec spec, @Nullable Object[] arguments) {
    try {
      return spec.name.resolve(arguments, beanFactory);
    } catch (EvaluationException e) {
      throw LockOutcomes.templateFailed(spec, e);
    }
  }

  /**
   * Returns the mutex of a resolved name, from the registry with the method's TTL.
   *
   * @throws InvalidLockNameException naming the template and the method, if the name is invalid
   */
  Mutex mutex(LockMethodSpec spec, String name) {
    LockRegistry registry =
        spec.ttl == null ? registries.get().registry() : registries.get().registry(spec.ttl);
    try {
      return registry.obtain(name);
    } catch (InvalidLockNameException e) {
      throw LockOutcomes.invalidName(spec, name, e);
    }
  }
}
