package dev.dimutex.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.core.annotation.AliasFor;

/**
 * Runs a public method of a Spring bean under a distributed lock: the lock is acquired before the
 * call, refreshed while it runs and released after it returns or throws.
 *
 * <p><b>Names.</b> The name is a template: {@code ${...}} placeholders are resolved from the
 * environment once, and {@code #{...}} parts are SpEL expressions evaluated per call, with the
 * method's parameters as variables ({@code #id}, or {@code #p0}/{@code #a0}) and beans as {@code
 * @beanName}: {@code "order-#{#id}"}, {@code "#{@tenant.id}-sync"}. Argument values are only ever
 * used as values, never parsed as expressions. A resolved name that breaks an object-name rule fails
 * the call with {@link dev.dimutex.InvalidLockNameException}, naming the template and the method.
 * Without a name, the lock is named {@code SimpleClassName.methodName}.
 *
 * <p><b>When the lock is held.</b> The call waits up to {@link #waitFor()}, then follows {@link
 * #onHeld()}: {@link OnHeld#FAIL} (the default) throws {@link dev.dimutex.LockTimeoutException};
 * {@link OnHeld#SKIP} does not run the method, which is allowed only for methods returning {@code
 * void}, {@code Optional} or a nullable reference, and checked when the application starts.
 *
 * <p><b>Reentrancy.</b> A call made by a thread that already holds the lock of the same resolved
 * name (a nested call) runs at once under the outer lease.
 *
 * <p><b>Asynchronous methods.</b> A method returning {@link java.util.concurrent.CompletableFuture}
 * or {@link java.util.concurrent.CompletionStage} keeps the lock until the returned stage completes;
 * the caller gets a stage that completes after the release.
 *
 * <p><b>Transactions.</b> The lock advice runs outside {@code @Transactional}: the lock is released
 * only after the transaction has committed or rolled back.
 *
 * <p>The running method reads its lease through {@link CurrentLease}. Durations accept the Spring
 * Boot forms ({@code "500ms"}, {@code "5s"}, {@code "1m"}) and ISO-8601 ({@code "PT5S"}); all
 * attributes may use {@code ${...}} placeholders. Invalid attributes fail the application start.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface DistributedLock {

  /**
   * Alias for {@link #name()}.
   *
   * @return the lock name template
   */
  @AliasFor("name")
  String value() default "";

  /**
   * The lock name template; see the type description.
   *
   * @return the lock name template
   */
  @AliasFor("value")
  String name() default "";

  /**
   * How long to wait for a lock held by someone else. Empty means the property {@code
   * dimutex.annotation.wait-for}, which defaults to {@code 0s}: one attempt.
   *
   * @return a duration, or empty for the default
   */
  String waitFor() default "";

  /**
   * What to do when the lock is still held after {@link #waitFor()}.
   *
   * @return the policy; {@link OnHeld#DEFAULT} means the property {@code
   *     dimutex.annotation.on-held} (default {@link OnHeld#FAIL})
   */
  OnHeld onHeld() default OnHeld.DEFAULT;

  /**
   * The lease TTL for this lock, overriding {@code dimutex.ttl}: how long the lock survives a crash
   * of this process. Empty means the registry's TTL.
   *
   * @return a duration, or empty for the default
   */
  String ttl() default "";

  /**
   * The minimum time the lock stays held, counted from its acquisition, even when the method
   * returns sooner; the release is then scheduled without blocking the caller. Use it for scheduled
   * jobs on a fleet whose clocks differ, so that another instance does not run the same job again
   * moments later (like ShedLock's {@code lockAtLeastFor}). Empty means no minimum.
   *
   * @return a duration, or empty for none
   */
  String holdAtLeast() default "";
}
